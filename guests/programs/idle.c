/* idle: the kernel of the `base` image. Announces itself, then sleeps until an event arrives;
 * powers off when the toolstack asks it to shut down. Outside a Cella VM (run-elf, qemu) the
 * hypercalls fail and it exits 1. */
#include "cella.h"

int main(int argc, char **argv, char **envp)
{
  (void)envp;
  puts_fd(1, argc > 0 ? argv[0] : "idle");
  puts_fd(1, ": idle kernel up\n");
  for (;;) {
    long wake = cella_hypercall(CELLA_HC_SCHED_BLOCK, 0, 0, 0);
    if (wake < 0) {
      puts_fd(2, "idle: not in a Cella VM (sched_block failed)\n");
      return 1;
    }
    if (wake & CELLA_WAKE_SHUTDOWN) {
      puts_fd(1, "idle: shutting down\n");
      cella_hypercall(CELLA_HC_SCHED_SHUTDOWN, CELLA_SHUTDOWN_POWEROFF, 0, 0);
      return 0;
    }
  }
}
