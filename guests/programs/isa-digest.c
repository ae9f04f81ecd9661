/* isa-digest: runs every RV32IM instruction on edge values and prints a digest per instruction
   and one over all. */
#include "cella.h"

static const uint32_t V[] = {
  0, 1, 2, 3, 31, 32, 33, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x10000, 0x12345678, 0x55555555,
  0x7ffffffe, 0x7fffffff, 0x80000000, 0x80000001, 0xaaaaaaaa, 0xedcba987, 0xfffffffe, 0xffffffff,
};
#define NV (sizeof V / sizeof V[0])

static uint32_t digest = 2166136261u, op_digest, results;

static void mix(uint32_t v)
{
  for (int i = 0; i < 4; i++) { op_digest = (op_digest ^ ((v >> (8 * i)) & 0xff)) * 16777619u; }
  results++;
}

static void begin(void) { op_digest = 2166136261u; }

static void end(const char *name)
{
  char buf[16];
  digest = (digest ^ op_digest) * 16777619u;
  puts_fd(1, name);
  puts_fd(1, " ");
  write_all(1, buf, (size_t)fmt_hex32(buf, op_digest));
  puts_fd(1, "\n");
}

#define RR(op) \
  static void t_##op(void) { begin(); \
    for (unsigned i = 0; i < NV; i++) for (unsigned j = 0; j < NV; j++) { uint32_t r; \
      __asm__ volatile(#op " %0, %1, %2" : "=r"(r) : "r"(V[i]), "r"(V[j])); mix(r); } \
    end(#op); }

#define RI1(op, imm) { uint32_t r; __asm__ volatile(#op " %0, %1, " #imm : "=r"(r) : "r"(V[i])); mix(r); }
#define RI(op) \
  static void t_##op(void) { begin(); for (unsigned i = 0; i < NV; i++) { \
    RI1(op, 0) RI1(op, 1) RI1(op, -1) RI1(op, 2047) RI1(op, -2048) RI1(op, 0x555) RI1(op, -0x556) RI1(op, 31) } \
    end(#op); }
#define SH(op) \
  static void t_##op(void) { begin(); for (unsigned i = 0; i < NV; i++) { \
    RI1(op, 0) RI1(op, 1) RI1(op, 7) RI1(op, 15) RI1(op, 16) RI1(op, 30) RI1(op, 31) } end(#op); }

#define BR(op) \
  static void t_##op(void) { begin(); \
    for (unsigned i = 0; i < NV; i++) for (unsigned j = 0; j < NV; j++) { uint32_t r; \
      __asm__ volatile("li %0, 1\n\t" #op " %1, %2, 1f\n\tli %0, 0\n1:" : "=&r"(r) : "r"(V[i]), "r"(V[j])); mix(r); } \
    end(#op); }

RR(add) RR(sub) RR(sll) RR(slt) RR(sltu) RR(xor) RR(srl) RR(sra) RR(or) RR(and)
RR(mul) RR(mulh) RR(mulhsu) RR(mulhu) RR(div) RR(divu) RR(rem) RR(remu)
RI(addi) RI(slti) RI(sltiu) RI(xori) RI(ori) RI(andi)
SH(slli) SH(srli) SH(srai)
BR(beq) BR(bne) BR(blt) BR(bge) BR(bltu) BR(bgeu)

static uint8_t mem[64] __attribute__((aligned(16)));

static void fill(uint32_t seed)
{
  for (unsigned k = 0; k < sizeof mem; k++) { seed = seed * 1103515245u + 12345u; mem[k] = (uint8_t)(seed >> 16); }
}

#define LD1(op, imm) { uint32_t r; __asm__ volatile(#op " %0, " #imm "(%1)" : "=r"(r) : "r"(p) : "memory"); mix(r); }
#define LD(op) \
  static void t_##op(void) { begin(); fill(7); for (unsigned k = 0; k < 8; k++) { const uint8_t *p = mem + 24 + k; \
    LD1(op, 0) LD1(op, 1) LD1(op, 2) LD1(op, 3) LD1(op, -4) LD1(op, -7) LD1(op, 13) } end(#op); }

#define ST1(op, imm, v) __asm__ volatile(#op " %1, " #imm "(%0)" : : "r"(p), "r"(v) : "memory");
#define ST(op) \
  static void t_##op(void) { begin(); fill(11); for (unsigned k = 0; k < 8; k++) { uint8_t *p = mem + 24 + k; \
    for (unsigned i = 0; i < NV; i += 5) { ST1(op, 0, V[i]) ST1(op, 3, V[i + 1]) ST1(op, -5, V[i + 2]) } \
    for (unsigned w = 0; w < sizeof mem; w += 4) mix((uint32_t)mem[w] | (uint32_t)mem[w + 1] << 8 | (uint32_t)mem[w + 2] << 16 | (uint32_t)mem[w + 3] << 24); } \
    end(#op); }

LD(lb) LD(lh) LD(lw) LD(lbu) LD(lhu)
ST(sb) ST(sh) ST(sw)

#define U1(op, imm) { uint32_t r, base; __asm__ volatile("auipc %1, 0\n\t" #op " %0, " #imm : "=r"(r), "=r"(base)); \
  mix(#op[0] == 'a' ? r - base - 4 : r); }
static void t_lui_auipc(void)
{
  begin();
  U1(lui, 0) U1(lui, 1) U1(lui, 0x7ffff) U1(lui, 0x80000) U1(lui, 0xfffff) U1(lui, 0x12345)
  U1(auipc, 0) U1(auipc, 1) U1(auipc, 0x7ffff) U1(auipc, 0x80000) U1(auipc, 0xfffff)
  end("lui/auipc");
}

static void t_jumps(void)
{
  begin();
  uint32_t link, anchor, r;
  __asm__ volatile("auipc %1, 0\n\tjal %0, 1f\n\tnop\n1:" : "=r"(link), "=r"(anchor));
  mix(link - anchor);
  __asm__ volatile("auipc %1, 0\n\taddi %1, %1, 17\n\tjalr %0, %1, -1\n\tnop\n\tnop\n" : "=&r"(link), "=&r"(anchor));
  mix(link - anchor);
  __asm__ volatile("li %0, 0\n\tauipc t0, 0\n\tjalr x0, t0, 16\n\taddi %0, %0, 1\n\taddi %0, %0, 2\n\taddi %0, %0, 4\n\taddi %0, %0, 8"
                   : "=&r"(r) : : "t0");
  mix(r);
  __asm__ volatile("li %0, 5\n\tauipc t0, 0\n\tjalr t0, t0, 12\n\tli %0, 9\n\tsub %0, t0, %0" : "=&r"(r) : : "t0");
  mix(r);
  end("jal/jalr");
}

static void t_fences(void)
{
  begin();
  uint32_t r = 3;
  __asm__ volatile("fence\n\tfence rw, rw\n\tfence.i\n\taddi %0, %0, 1" : "+r"(r) : : "memory");
  mix(r);
  end("fence");
}

int main(int argc, char **argv, char **envp)
{
  (void)argc; (void)argv; (void)envp;
  t_add(); t_sub(); t_sll(); t_slt(); t_sltu(); t_xor(); t_srl(); t_sra(); t_or(); t_and();
  t_mul(); t_mulh(); t_mulhsu(); t_mulhu(); t_div(); t_divu(); t_rem(); t_remu();
  t_addi(); t_slti(); t_sltiu(); t_xori(); t_ori(); t_andi(); t_slli(); t_srli(); t_srai();
  t_beq(); t_bne(); t_blt(); t_bge(); t_bltu(); t_bgeu();
  t_lb(); t_lh(); t_lw(); t_lbu(); t_lhu(); t_sb(); t_sh(); t_sw();
  t_lui_auipc(); t_jumps(); t_fences();
  char buf[16];
  puts_fd(1, "results ");
  write_all(1, buf, (size_t)fmt_u32(buf, results));
  puts_fd(1, " digest ");
  write_all(1, buf, (size_t)fmt_hex32(buf, digest));
  puts_fd(1, "\n");
  return 0;
}
