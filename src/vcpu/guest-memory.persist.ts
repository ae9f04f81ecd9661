/** Plain-data (JSON-able) state of guest memory: the size and the frames that are not all zero. */
import { GuestMemory } from './guest-memory.js';
import { FRAME_SHIFT, FRAME_SIZE, RAM_BASE } from './memory-layout.js';

export interface GuestMemoryState {
  size: number;
  /** Non-zero frames: frame number and base64 contents. */
  frames: { frame: number; data: string }[];
}

function isZero(words: Int32Array, from: number): boolean {
  for (let i = from; i < from + FRAME_SIZE / 4; i++) if (words[i] !== 0) return false;
  return true;
}

/** Saves RAM, leaving out all-zero frames (reading an untouched frame costs no host memory). */
export function saveGuestMemory(memory: GuestMemory): GuestMemoryState {
  const frames: GuestMemoryState['frames'] = [];
  const count = memory.size >>> FRAME_SHIFT;
  for (let f = 0; f < count; f++) {
    if (isZero(memory.i32, f * (FRAME_SIZE / 4))) continue;
    const off = f * FRAME_SIZE;
    frames.push({ frame: f, data: Buffer.from(memory.buffer, off, FRAME_SIZE).toString('base64') });
  }
  return { size: memory.size, frames };
}

/** A fresh memory with the saved contents (no compiled code: blocks are rebuilt on demand). */
export function restoreGuestMemory(state: GuestMemoryState): GuestMemory {
  const memory = new GuestMemory(state.size);
  for (const { frame, data } of state.frames) {
    memory.write(RAM_BASE + frame * FRAME_SIZE, new Uint8Array(Buffer.from(data, 'base64')));
  }
  return memory;
}
