/** The event-channel and grant demo guests (guests/ping, guests/pong) as tests set them up and check them. */
import type request from 'supertest';

/** The checksums the demo prints after `rounds` round trips, computed here independently of the guests. */
function expectedChecksums(rounds: number): { ping: string; pong: string } {
  const fnv = (h: number, bytes: number[]) => bytes.reduce((acc, b) => Math.imul(acc ^ b, 16777619) >>> 0, h);
  let pong = 2166136261;
  let ping = 2166136261;
  for (let i = 0; i < rounds; i++) {
    const sent = Array.from({ length: 64 }, (_, k) => (i * 31 + k * 7) & 0xff);
    pong = fnv(pong, sent);
    ping = fnv(ping, sent.map((b) => b ^ 0x5a));
  }
  const hex = (v: number) => v.toString(16).padStart(8, '0');
  return { ping: hex(ping), pong: hex(pong) };
}

/** What each guest's console ends with after `rounds` round trips. */
export function expectedConsoles(rounds: number): { ping: string; pong: string } {
  const want = expectedChecksums(rounds);
  return { ping: `ping: ${rounds} round trips, checksum ${want.ping}\n`, pong: `pong: ${rounds} round trips, checksum ${want.pong}\n` };
}

/** Creates the pair (not started): VM `ping` runs the ping guest and `pong` the pong guest, each told the other's name. */
export async function makePingPong(
  api: () => ReturnType<typeof request>, ping: string, pong: string, rounds: number, properties: Record<string, unknown> = {},
): Promise<void> {
  for (const [name, kernel, peer] of [[pong, 'pong', ping], [ping, 'ping', pong]]) {
    await api().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: 'red', properties: { kernel, memory: 4, vcpus: 1, ...properties } }).expect(201);
    await api().put(`/api/v1/vms/${name}/features/vm-config.peer`).send({ value: peer }).expect(200);
    await api().put(`/api/v1/vms/${name}/features/vm-config.rounds`).send({ value: String(rounds) }).expect(200);
  }
}
