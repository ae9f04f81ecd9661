/* env: prints its environment, one NAME=value per line (a qrexec service sees QREXEC_* there). */
#include "cella.h"

int main(int argc, char **argv, char **envp)
{
  (void)argc; (void)argv;
  for (char **e = envp; *e; e++) {
    write_all(1, *e, strlen(*e));
    write_all(1, "\n", 1);
  }
  return 0;
}
