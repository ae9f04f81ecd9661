/* Cella guest entry: sets gp, then __cella_start(sp) with sp at argc as Linux lays it out. */
  .file "crt0.S"
  .section .text.start, "ax"
  .globl _start
_start:
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop
  mv a0, sp
  andi sp, sp, -16
  call __cella_start
1:
  j 1b
