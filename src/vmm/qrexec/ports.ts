/**
 * Data-vchan ports: each call gets a port from 513 (VCHAN_BASE_DATA_PORT) up, unique for its
 * (server, client) pair while in use, freed by CONNECTION_TERMINATED. As in Qubes, the port's parity
 * depends on the pair's order (odd when the server's domid is the lower), so ports chosen for the two
 * directions between the same domains never meet.
 */
import { MAX_FDS, VCHAN_BASE_DATA_PORT } from '../../qrexec/protocol/index.js';

export class DataPorts {
  private readonly used = new Set<string>();

  /** A free port for a vchan served by `server` for `client`, or null when the pair has MAX_FDS in use. */
  allocate(server: number, client: number): number | null {
    const odd = server < client ? 1 : 0;
    for (let port = VCHAN_BASE_DATA_PORT + ((VCHAN_BASE_DATA_PORT & 1) === odd ? 0 : 1), n = 0; n < MAX_FDS; port += 2, n++) {
      const key = `${server}:${client}:${port}`;
      if (!this.used.has(key)) {
        this.used.add(key);
        return port;
      }
    }
    return null;
  }

  /** Marks a port a call restored after a restart still uses (its CONNECTION_TERMINATED frees it). */
  reserve(server: number, client: number, port: number): void {
    this.used.add(`${server}:${client}:${port}`);
  }

  free(server: number, client: number, port: number): void {
    this.used.delete(`${server}:${client}:${port}`);
  }

  get inUse(): number {
    return this.used.size;
  }
}
