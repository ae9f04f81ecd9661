/** The Linux initial process stack: argc, argv, envp, auxv and the strings they point to. */
import { elfError, type ElfError } from './elf-error.js';

/** Auxiliary vector tags (Linux include/uapi/linux/auxvec.h). */
export const AT = {
  NULL: 0, PHDR: 3, PHENT: 4, PHNUM: 5, PAGESZ: 6, BASE: 7, FLAGS: 8, ENTRY: 9,
  UID: 11, EUID: 12, GID: 13, EGID: 14, HWCAP: 16, CLKTCK: 17, SECURE: 23, RANDOM: 25, EXECFN: 31,
} as const;

/** AT_HWCAP for RV32IM: one bit per extension letter. */
const HWCAP_IM = (1 << 8) | (1 << 12);

export interface StackInput {
  readonly argv: readonly string[];
  readonly envp: readonly string[];
  /** 16 bytes for AT_RANDOM. */
  readonly random: Uint8Array;
  readonly phdr: number;
  readonly phnum: number;
  readonly entry: number;
}

/** The stack image to copy to guest memory: bytes placed so that they end at `top`, and the initial sp. */
export interface StackImage { readonly sp: number; readonly bytes: Uint8Array }

const encoder = new TextEncoder();

function cString(s: string): Uint8Array {
  const b = encoder.encode(s);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

/** Lays the stack out as Linux does, below `top`; fails when it would not fit in `limit` bytes. */
export function buildInitialStack(input: StackInput, top: number, limit: number): StackImage | ElfError {
  const execfn = cString(input.argv[0] ?? '');
  const strings = [execfn, ...input.envp.map(cString), ...input.argv.map(cString)];
  const stringBytes = strings.reduce((n, s) => n + s.length, 0);
  const auxCount = 17;
  const words = 1 + input.argv.length + 1 + input.envp.length + 1 + 2 * auxCount;
  const total = stringBytes + 16 + 16 + 4 * words + 16;
  if (total > limit) return elfError('ELF_ARGS_TOO_LONG', `arguments and environment need ${total} bytes, the stack has ${limit}`);
  let cursor = top;
  const place = (b: Uint8Array): number => { cursor -= b.length; return cursor; };
  const image = new Uint8Array(total + 16);
  const base = top - image.length;
  const put = (addr: number, b: Uint8Array): void => image.set(b, addr - base);
  const addrs = strings.map((s) => { const a = place(s); put(a, s); return a; });
  const randomAt = place(input.random.subarray(0, 16));
  put(randomAt, input.random.subarray(0, 16));
  const envAddrs = addrs.slice(1, 1 + input.envp.length);
  const argAddrs = addrs.slice(1 + input.envp.length);
  const aux = [
    AT.PHDR, input.phdr, AT.PHENT, 32, AT.PHNUM, input.phnum, AT.PAGESZ, 4096, AT.BASE, 0, AT.FLAGS, 0,
    AT.ENTRY, input.entry, AT.UID, 0, AT.EUID, 0, AT.GID, 0, AT.EGID, 0, AT.HWCAP, HWCAP_IM, AT.CLKTCK, 100,
    AT.SECURE, 0, AT.RANDOM, randomAt, AT.EXECFN, addrs[0], AT.NULL, 0,
  ];
  const table = [input.argv.length, ...argAddrs, 0, ...envAddrs, 0, ...aux];
  const sp = ((cursor - table.length * 4) & ~15) >>> 0;
  const view = new DataView(image.buffer);
  table.forEach((w, i) => view.setUint32(sp - base + i * 4, w >>> 0, true));
  return { sp, bytes: image.subarray(sp - base) };
}
