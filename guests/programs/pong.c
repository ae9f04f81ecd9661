/* pong: the server half of the event-channel and grant demo. It grants a page of its own RAM to the
 * peer named by vm-config/peer, allocates an unbound port for it, publishes (ref, port) in the store,
 * then answers each numbered message in the shared page, signalled through the event channel. */
#include "pingpong.h"

static uint8_t gnttab_frame[4096] __attribute__((aligned(4096)));
static struct pp_msg shared __attribute__((aligned(4096)));
static struct cella_shared_info si __attribute__((aligned(4096)));

int main(int argc, char **argv, char **envp)
{
  (void)argc; (void)argv; (void)envp;
  char home[128], peer[64], rounds_s[16], path[256], perms[32], num[16];
  if (xs_domain_path(DOMID_SELF, home, sizeof home) < 0) die("pong", "not in a Cella VM");
  vm_config(home, "peer", peer, sizeof peer, "ping");
  vm_config(home, "rounds", rounds_s, sizeof rounds_s, "1000");
  uint32_t rounds = (uint32_t)atoi(rounds_s), self, peer_dom;
  if (xs_read_u32(join(path, sizeof path, home, "/domid"), &self) != 0) die("pong", "no domid in the store");
  join(path, sizeof path, "/vm/", peer);
  peer_dom = xs_wait_u32(join(path, sizeof path, path, "/domid"));

  register_shared_info(&si);
  uint32_t table_gpa = (uint32_t)gnttab_frame;
  /* take the table's first frame into our own page (its entries move with it), then fill a ref the kernel gives us */
  if (gnttab_setup_table(&table_gpa, 1) != 0) die("pong", "setup_table failed");
  struct grant_entry_v1 *gt = (struct grant_entry_v1 *)gnttab_frame;
  long ref_or_err = gnttab_alloc_ref();
  if (ref_or_err < 0 || ref_or_err >= 512) die("pong", "no free grant ref in the first table frame");
  const uint32_t ref = (uint32_t)ref_or_err;
  gt[ref].domid = (uint16_t)peer_dom;
  gt[ref].frame = (uint32_t)&shared >> 12;
  gt[ref].flags = GTF_permit_access;
  long port = evtchn_alloc_unbound(DOMID_SELF, (int)peer_dom);
  if (port <= 0) die("pong", "alloc_unbound failed");

  char dir[160];
  join(dir, sizeof dir, home, "/data/pingpong");
  xs_mkdir(dir);
  int len = 0;
  perms[0] = 0;
  strcat_n(perms, &len, sizeof perms, "n");
  num[fmt_u32(num, self)] = 0;
  strcat_n(perms, &len, sizeof perms, num);
  strcat_n(perms, &len, sizeof perms, " r");
  num[fmt_u32(num, peer_dom)] = 0;
  strcat_n(perms, &len, sizeof perms, num);
  xs_set_perms(dir, perms);
  num[fmt_u32(num, ref)] = 0;
  xs_write(join(path, sizeof path, dir, "/ref"), num, strlen(num));
  num[fmt_u32(num, (uint32_t)port)] = 0;
  xs_write(join(path, sizeof path, dir, "/port"), num, strlen(num));

  uint32_t sum = 2166136261u, p = (uint32_t)port;
  for (uint32_t i = 0; i < rounds; i++) {
    while (shared.seq != 2 * i + 1) {
      sched_poll(&p, 1);
      evtchn_clear(&si, (int)p);
    }
    uint32_t n = shared.len > sizeof shared.data ? sizeof shared.data : shared.len;
    sum = fnv1a(sum, shared.data, n);
    for (uint32_t k = 0; k < n; k++) shared.data[k] ^= 0x5a;
    shared.seq = 2 * i + 2;
    evtchn_send((int)p);
  }
  report("pong", rounds, sum);
  return 0;
}
