/** Setting up vchan ends for qrexec: a server in the caller's RAM, a client that waits for the server to appear. */
import { QREXEC_VCHAN_BUFFER_SIZE } from './protocol/index.js';
import { libxenvchanClientInit, libxenvchanServerInit, type FrameAllocator, type Libxenvchan, type VchanHost } from './vchan/index.js';

export function serveVchan(host: VchanHost, domid: number, peer: number, port: number, frames: FrameAllocator, ring = QREXEC_VCHAN_BUFFER_SIZE): Libxenvchan | string {
  const r = libxenvchanServerInit(host, { domid, peer, port, leftMin: ring, rightMin: ring, frames });
  return r.ok ? r.value : `vchan server ${domid}→${peer}:${port}: ${r.error.code} at ${r.error.step} (${r.error.detail})`;
}

/**
 * Connects to the vchan the server publishes; the two ends are set up concurrently (the daemons
 * tell both at once), so a ring-ref not there yet is retried every millisecond until `timeoutMs`
 * (Qubes' vchan client waits on a XenStore watch the same way).
 */
export async function connectVchan(
  host: VchanHost, domid: number, server: number, port: number, slots: FrameAllocator, timeoutMs: number,
  /** The caller went away (its VM was suspended): stop trying, connect nothing. */
  cancelled: () => boolean = () => false,
): Promise<Libxenvchan | string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (cancelled()) return 'cancelled';
    const r = libxenvchanClientInit(host, { domid, server, port, slots });
    if (r.ok) return r.value;
    // not there yet: ENOENT, or EACCES while the server's directory is not made readable for us
    if ((r.error.code !== 'ENOENT' && r.error.code !== 'EACCES') || Date.now() > deadline) {
      return `vchan client ${domid}→${server}:${port}: ${r.error.code} at ${r.error.step} (${r.error.detail})`;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
