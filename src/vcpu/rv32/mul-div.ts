/** RV32M arithmetic on int32 values without BigInt: high multiply halves and division edge cases. */

/** Upper 32 bits of the unsigned 64-bit product of a and b (as int32). */
export function mulhu(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const lo = a0 * b0;
  const mid1 = a1 * b0 + (lo >>> 16);
  const mid2 = a0 * b1 + (mid1 & 0xffff);
  return (a1 * b1 + Math.floor(mid1 / 65536) + Math.floor(mid2 / 65536)) | 0;
}

/** Upper 32 bits of the signed × signed 64-bit product. */
export function mulh(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
}

/** Upper 32 bits of the signed × unsigned 64-bit product. */
export function mulhsu(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0)) | 0;
}

/** Signed division; by zero gives -1, overflow gives the dividend. */
export function div(a: number, b: number): number {
  if (b === 0) return -1;
  if (b === -1) return -a | 0;
  return (a / b) | 0;
}

/** Unsigned division; by zero gives all ones. */
export function divu(a: number, b: number): number {
  if (b === 0) return -1;
  return ((a >>> 0) / (b >>> 0)) | 0;
}

/** Signed remainder; by zero gives the dividend, overflow gives 0. */
export function rem(a: number, b: number): number {
  if (b === 0) return a;
  if (b === -1) return 0;
  return (a % b) | 0;
}

/** Unsigned remainder; by zero gives the dividend. */
export function remu(a: number, b: number): number {
  if (b === 0) return a;
  return ((a >>> 0) % (b >>> 0)) | 0;
}
