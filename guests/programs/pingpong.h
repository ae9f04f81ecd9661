/* Shared by the ping and pong demo guests: the message in the granted page, the payload and the checksum. */
#ifndef PINGPONG_H
#define PINGPONG_H
#include "xen.h"

#define PAYLOAD 64

struct pp_msg { volatile uint32_t seq; volatile uint32_t len; volatile uint8_t data[4088]; };

static inline uint32_t fnv1a(uint32_t h, const volatile uint8_t *p, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

/* Joins a and b into out (out may be a). */
static inline const char *join(char *out, int cap, const char *a, const char *b) {
  int len = (int)strlen(a);
  if (out != a) {
    len = 0;
    out[0] = 0;
    strcat_n(out, &len, cap, a);
  }
  strcat_n(out, &len, cap, b);
  return out;
}

/* The value of vm-config/<key> from the store, or `fallback`. */
static inline void vm_config(const char *home, const char *key, char *out, int cap, const char *fallback) {
  char path[256];
  int len = 0;
  path[0] = 0;
  strcat_n(path, &len, sizeof path, home);
  strcat_n(path, &len, sizeof path, "/vm-config/");
  strcat_n(path, &len, sizeof path, key);
  long n = xs_read(path, out, cap - 1);
  if (n < 0) {
    int l = 0;
    out[0] = 0;
    strcat_n(out, &l, cap, fallback);
    return;
  }
  out[n < cap - 1 ? n : cap - 1] = 0;
}

static inline void report(const char *who, uint32_t rounds, uint32_t sum) {
  char num[16];
  puts_fd(1, who);
  num[fmt_u32(num, rounds)] = 0;
  puts_fd(1, ": ");
  puts_fd(1, num);
  puts_fd(1, " round trips, checksum ");
  num[fmt_hex32(num, sum)] = 0;
  puts_fd(1, num);
  puts_fd(1, "\n");
}

static inline void die(const char *who, const char *what) {
  puts_fd(2, who);
  puts_fd(2, ": ");
  puts_fd(2, what);
  puts_fd(2, "\n");
  exit(1);
}
#endif
