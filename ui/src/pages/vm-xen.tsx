/** A running VM's event channels (lsevtchn) and grant table: read when the VM's state changes, or on Refresh. */
import { useEffect, useState } from 'preact/hooks';
import { enc, get, messageOf, type Schemas, type Vm } from '../lib/api.js';

const HAS_DOMAIN = new Set(['running', 'paused', 'halting', 'suspended']);

export function XenPanel({ vm }: { vm: Vm }) {
  const [ports, setPorts] = useState<Schemas['EventChannelList'] | null>(null);
  const [grants, setGrants] = useState<Schemas['GrantReport'] | null>(null);
  const [error, setError] = useState('');
  const [tick, setTick] = useState(0);
  const live = HAS_DOMAIN.has(vm.state) && vm.class !== 'AdminVM';
  useEffect(() => {
    setError('');
    if (!live) {
      setPorts(null);
      setGrants(null);
      return;
    }
    Promise.all([
      get<Schemas['EventChannelList']>(`/api/v1/vms/${enc(vm.name)}/event-channels`),
      get<Schemas['GrantReport']>(`/api/v1/vms/${enc(vm.name)}/grants`),
    ]).then(
      ([p, g]) => (setPorts(p), setGrants(g)),
      (err: unknown) => setError(messageOf(err)),
    );
  }, [vm.name, vm.state, live, tick]);
  return (
    <section class="card" aria-labelledby="xen-title">
      <div class="card-head">
        <h2 id="xen-title">Event channels and grants</h2>
        {live && <button type="button" class="small" onClick={() => setTick(tick + 1)}>Refresh</button>}
      </div>
      {!live && <p class="muted">The VM has no domain.</p>}
      {error && <p class="error" role="alert">{error}</p>}
      {ports && (
        <table class="compact" aria-label={`Event channels of ${vm.name} (domain ${ports.domid})`}>
          <thead><tr><th scope="col">Port</th><th scope="col">State</th><th scope="col">Remote</th><th scope="col">vCPU</th><th scope="col">Pending</th><th scope="col">Masked</th></tr></thead>
          <tbody>
            {ports.ports.map((p) => (
              <tr key={p.port}>
                <td class="num">{p.port}</td>
                <td>{p.state}{p.virq !== undefined ? ` (virq ${p.virq})` : ''}</td>
                <td>{p.remoteDom !== undefined ? `dom${p.remoteDom}:${p.remotePort}` : ''}</td>
                <td class="num">{p.notifyVcpu}</td>
                <td>{p.pending ? 'yes' : 'no'}</td>
                <td>{p.masked ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {grants && (
        <>
          <p>Grant table: {grants.nrFrames} of {grants.maxFrames} frames; {grants.active.length} entries pinned by others; {grants.mappings.length} frames of others mapped.</p>
          {grants.mappings.length > 0 && (
            <table class="compact" aria-label={`Grant mappings of ${vm.name}`}>
              <thead><tr><th scope="col">Handle</th><th scope="col">Granter</th><th scope="col">Ref</th><th scope="col">Access</th></tr></thead>
              <tbody>
                {grants.mappings.map((m) => (
                  <tr key={m.handle}><td class="num">{m.handle}</td><td>dom{m.granter}</td><td class="num">{m.ref}</td><td>{m.readonly ? 'read-only' : 'read-write'}</td></tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
