/* cpubench: a CPU-bound loop over CRC-32, integer matrix multiply, a sieve and a list sort;
   prints a checksum. Repetitions from argv[1] (default 1). */
#include "cella.h"

#define CRC_BYTES 4096
#define N 16
#define SIEVE 8192
#define NODES 512

static uint32_t crc_table[256];
static uint8_t data[CRC_BYTES];
static int32_t A[N][N], B[N][N], C[N][N];
static uint8_t composite[SIEVE];
struct node { struct node *next; uint32_t key; };
static struct node nodes[NODES];

static uint32_t lcg(uint32_t *s) { *s = *s * 1664525u + 1013904223u; return *s; }

static void crc_init(void)
{
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

static uint32_t crc32(uint32_t seed)
{
  uint32_t s = seed;
  for (int i = 0; i < CRC_BYTES; i++) data[i] = (uint8_t)(lcg(&s) >> 24);
  uint32_t c = 0xffffffffu;
  for (int i = 0; i < CRC_BYTES; i++) c = crc_table[(c ^ data[i]) & 0xff] ^ (c >> 8);
  return ~c;
}

static uint32_t matmul(uint32_t seed)
{
  uint32_t s = seed;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) { A[i][j] = (int32_t)(lcg(&s) >> 20) - 2048; B[i][j] = (int32_t)(lcg(&s) >> 21) - 1024; }
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      int32_t sum = 0;
      for (int k = 0; k < N; k++) sum += A[i][k] * B[k][j];
      C[i][j] = sum;
    }
  uint32_t h = 0;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) h = h * 31u + (uint32_t)C[i][j] / 7u + (uint32_t)(C[i][j] % 5);
  return h;
}

static uint32_t sieve(void)
{
  memset(composite, 0, sizeof composite);
  uint32_t count = 0, sum = 0;
  for (uint32_t i = 2; i < SIEVE; i++) {
    if (composite[i]) continue;
    count++;
    sum += i;
    for (uint32_t j = i * i; j < SIEVE; j += i) composite[j] = 1;
  }
  return count * 65599u + sum;
}

static struct node *merge(struct node *a, struct node *b)
{
  struct node head, *t = &head;
  while (a && b) {
    if (a->key <= b->key) { t->next = a; a = a->next; } else { t->next = b; b = b->next; }
    t = t->next;
  }
  t->next = a ? a : b;
  return head.next;
}

static struct node *sort(struct node *list)
{
  if (!list || !list->next) return list;
  struct node *slow = list, *fast = list->next;
  while (fast && fast->next) { slow = slow->next; fast = fast->next->next; }
  struct node *back = slow->next;
  slow->next = 0;
  return merge(sort(list), sort(back));
}

static uint32_t list_sort(uint32_t seed)
{
  uint32_t s = seed;
  for (int i = 0; i < NODES; i++) { nodes[i].key = lcg(&s) >> 8; nodes[i].next = i + 1 < NODES ? &nodes[i + 1] : 0; }
  struct node *l = sort(&nodes[0]);
  uint32_t h = 0, prev = 0, ordered = 1;
  for (; l; l = l->next) { if (l->key < prev) ordered = 0; prev = l->key; h = (h ^ l->key) * 16777619u; }
  return h + ordered;
}

int main(int argc, char **argv, char **envp)
{
  (void)envp;
  int reps = argc > 1 ? atoi(argv[1]) : 1;
  crc_init();
  uint32_t sum = 0;
  for (int r = 0; r < reps; r++) {
    uint32_t seed = 0x9e3779b9u * (uint32_t)(r + 1);
    sum = (sum << 5 | sum >> 27) ^ crc32(seed);
    sum = (sum << 5 | sum >> 27) ^ matmul(seed);
    sum = (sum << 5 | sum >> 27) ^ sieve();
    sum = (sum << 5 | sum >> 27) ^ list_sort(seed);
  }
  char buf[16];
  puts_fd(1, "cpubench reps=");
  write_all(1, buf, (size_t)fmt_u32(buf, (uint32_t)reps));
  puts_fd(1, " checksum=0x");
  write_all(1, buf, (size_t)fmt_hex32(buf, sum));
  puts_fd(1, "\n");
  return 0;
}
