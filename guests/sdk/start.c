/* Cella guest C runtime start: argc/argv/envp from the initial stack, then main and exit. */
#include "cella.h"

int main(int argc, char **argv, char **envp);

void __cella_start(uint32_t *sp) __attribute__((noreturn, used));

void __cella_start(uint32_t *sp)
{
  int argc = (int)sp[0];
  char **argv = (char **)(sp + 1);
  char **envp = argv + argc + 1;
  exit(main(argc, argv, envp));
}
