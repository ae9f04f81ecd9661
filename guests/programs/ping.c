/* ping: the client half of the event-channel and grant demo. It finds the (ref, port) that the peer
 * named by vm-config/peer published in the store, maps the granted page, binds the channel and sends
 * numbered messages, waiting for each answer. */
#include "pingpong.h"

static struct cella_shared_info si __attribute__((aligned(4096)));

int main(int argc, char **argv, char **envp)
{
  (void)argc; (void)argv; (void)envp;
  char home[128], peer[64], rounds_s[16], path[256], dir[160], num[16];
  if (xs_domain_path(DOMID_SELF, home, sizeof home) < 0) die("ping", "not in a Cella VM");
  vm_config(home, "peer", peer, sizeof peer, "pong");
  vm_config(home, "rounds", rounds_s, sizeof rounds_s, "1000");
  uint32_t rounds = (uint32_t)atoi(rounds_s);
  join(path, sizeof path, "/vm/", peer);
  uint32_t peer_dom = xs_wait_u32(join(path, sizeof path, path, "/domid"));
  register_shared_info(&si);

  num[fmt_u32(num, peer_dom)] = 0;
  join(dir, sizeof dir, "/local/domain/", num);
  join(dir, sizeof dir, dir, "/data/pingpong");
  uint32_t ref = xs_wait_u32(join(path, sizeof path, dir, "/ref"));
  uint32_t port = xs_wait_u32(join(path, sizeof path, dir, "/port"));

  struct gnttab_map_grant_ref map = { GRANT_MAP_WINDOW, GNTMAP_host_map, ref, peer_dom, 0, 0 };
  if (gnttab_map(&map, 1) != 0 || map.status != 0) die("ping", "map_grant_ref failed");
  long lport = evtchn_bind_interdomain((int)peer_dom, (int)port);
  if (lport <= 0) die("ping", "bind_interdomain failed");
  struct pp_msg *msg = (struct pp_msg *)GRANT_MAP_WINDOW;

  uint32_t sum = 2166136261u, p = (uint32_t)lport;
  for (uint32_t i = 0; i < rounds; i++) {
    for (uint32_t k = 0; k < PAYLOAD; k++) msg->data[k] = (uint8_t)(i * 31 + k * 7);
    msg->len = PAYLOAD;
    msg->seq = 2 * i + 1;
    evtchn_send((int)p);
    while (msg->seq != 2 * i + 2) {
      sched_poll(&p, 1);
      evtchn_clear(&si, (int)p);
    }
    sum = fnv1a(sum, msg->data, PAYLOAD);
  }
  report("ping", rounds, sum);
  struct gnttab_unmap_grant_ref unmap = { GRANT_MAP_WINDOW, 0, map.handle, 0 };
  gnttab_unmap(&unmap, 1);
  evtchn_close((int)p);
  return 0;
}
