/* bss: built with `ld -N` (text, data and bss in one segment, its memory size past its file
 * size): prints a line and exits with 3 + a bss word (0). bss-rwx.elf keeps the segment
 * read-write-execute and runs; bss-rx.elf marks it read-execute, which Linux (up to 6.5) and
 * qemu-riscv32 cannot zero the bss of: the process dies of SIGSEGV while being loaded. */
#include "cella.h"

static volatile unsigned zero[1024];

int main(int argc, char **argv, char **envp)
{
  (void)argc; (void)argv; (void)envp;
  puts_fd(1, "bss: running\n");
  return 3 + (int)zero[1023];
}
