/* probe: what a program linked as for Linux (the cross compiler's default linker script, text at
 * 0x10000) touches from exec on: argv, initialised data, bss, the program break, stdin and stdout.
 * Prints what it finds, copies stdin to stdout, and exits with 40 + argc. Its output is the same
 * under qemu-riscv32 and `cella run-elf`. */
#include "cella.h"

static const char greeting[] = "probe: linked where Linux links programs\n";
static char data_word[16] = "initialised";
static volatile unsigned bss_words[2048];
static char buf[512];

static void say(const char *a, const char *b)
{
  puts_fd(1, a);
  puts_fd(1, b);
  puts_fd(1, "\n");
}

int main(int argc, char **argv, char **envp)
{
  (void)envp;
  puts_fd(1, greeting);
  for (int i = 1; i < argc; i++) say("arg: ", argv[i]);
  say("data: ", data_word);
  unsigned sum = 0;
  for (unsigned i = 0; i < 2048; i++) sum |= bss_words[i];
  say("bss: ", sum == 0 ? "zero" : "NOT ZERO");
  char *heap = sbrk(3 * 4096);
  if (heap == (char *)-1) return 1;
  for (int i = 0; i < 3 * 4096; i++) heap[i] = (char)(i * 7);
  int ok = 1;
  for (int i = 0; i < 3 * 4096; i++) ok &= heap[i] == (char)(i * 7);
  say("break: ", ok ? "12 KiB written and read back" : "BAD");
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0) return 2;
    if (n == 0) break;
    write_all(1, buf, (size_t)n);
  }
  return 40 + argc;
}
