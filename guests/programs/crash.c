/* crash: prints a line, then stores to an address outside RAM, a fault it does not handle. */
#include "cella.h"

int main(int argc, char **argv, char **envp)
{
  (void)argc; (void)argv; (void)envp;
  puts_fd(1, "crash: about to fault\n");
  uint32_t addr = 0x10;
  __asm__ volatile("" : "+r"(addr));
  *(volatile uint32_t *)addr = 0xdead;
  return 0;
}
