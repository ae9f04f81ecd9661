/* qrexec-client-vm TARGET SERVICE[+ARG]: calls a qrexec service in another VM, as Qubes' tool of
 * that name does. The PV kernel relays this program's stdin to the service and the service's
 * stdout and stderr to ours; the exit status is the service's, or 126 (refused, saying
 * "Request refused" on stderr as Qubes' tool does), 125 (qrexec failure), 127 (no such service). */
#include "cella.h"

int main(int argc, char **argv, char **envp)
{
  (void)envp;
  if (argc != 3) {
    puts_fd(2, "usage: qrexec-client-vm TARGET SERVICE[+ARG]\n");
    return 2;
  }
  long id = cella_hypercall(CELLA_HC_QREXEC_CALL, (long)argv[1], (long)argv[2], 0);
  if (id < 0) {
    puts_fd(2, "qrexec-client-vm: not in a Cella VM\n");
    return 125;
  }
  int refused = 0;
  int status = (int)cella_hypercall(CELLA_HC_QREXEC_WAIT, id, (long)&refused, 0);
  if (refused) puts_fd(2, "Request refused\n");
  return status;
}
