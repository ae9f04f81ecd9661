/** What bench:api loads, shared by its client (api.bench.ts) and its server process (api-server.ts). */
export const LIST_PATH = '/api/v1/vms?limit=100';
export const EVENTS_PATH = '/api/v1/events?limit=100';
/** Names of the VMs the benchmark creates: they sort after the 100 VMs the list shows. */
export const BENCH_PREFIX = 'zb';
