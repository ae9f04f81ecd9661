/* spin: a guest that never stops and never listens: counts forever (for the scheduler's
 * fairness and for shutdown timeouts). */
#include "cella.h"

int main(int argc, char **argv, char **envp)
{
  (void)argc; (void)argv; (void)envp;
  puts_fd(1, "spin: spinning\n");
  volatile uint32_t n = 0;
  for (;;) n++;
}
