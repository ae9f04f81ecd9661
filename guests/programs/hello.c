/* hello: prints a greeting and exits 0. */
#include "cella.h"

int main(int argc, char **argv, char **envp)
{
  (void)argc; (void)argv; (void)envp;
  puts_fd(1, "Hello from a Cella guest!\n");
  return 0;
}
