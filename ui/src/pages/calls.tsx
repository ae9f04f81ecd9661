/** qrexec calls as they end (qrexec-call events): source, target, service, decision, exit code. */
import { PageTitle } from '../components/page-title.js';
import { useEvents } from '../components/event-list.js';
import { time } from '../lib/format.js';
import { bytes } from '../lib/format.js';

const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export function CallsPage() {
  const calls = useEvents((e) => e.event === 'qrexec-call', []);
  return (
    <section aria-labelledby="page-title">
      <PageTitle>qrexec calls</PageTitle>
      <p class="muted">Every call between VMs (and from dom0) when it ends, newest first.</p>
      {calls.length === 0 ? (
        <p role="status">No call yet.</p>
      ) : (
        <div class="scroll">
          <table class="compact calls" aria-label="qrexec calls">
            <thead>
              <tr>
                <th scope="col">Time</th><th scope="col">Source</th><th scope="col">Target</th><th scope="col">Service</th>
                <th scope="col">Decision</th><th scope="col">Exit code</th><th scope="col">In / out</th><th scope="col">Duration</th><th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {calls.map((e) => {
                const p = e.payload;
                const rule = p.rule as { file?: string; line?: number } | null;
                return (
                  <tr key={e.id} data-call={e.id}>
                    <td>{time(e.time)}</td>
                    <td>{s(p.source)}</td>
                    <td>{s(p.target)}</td>
                    <td><code>{s(p.service)}{s(p.argument)}</code></td>
                    <td>
                      <span class={`decision-${s(p.decision)}`}>{s(p.decision)}</span>
                      {rule?.file && <span class="muted small-text"> {rule.file}:{rule.line}</span>}
                    </td>
                    <td class="num">{s(p.exit_code)}</td>
                    <td class="num">{bytes(Number(p.bytes_in) || 0)} / {bytes(Number(p.bytes_out) || 0)}</td>
                    <td class="num">{p.duration_ms === undefined ? '' : `${Math.round(Number(p.duration_ms))} ms`}</td>
                    <td>{s(p.error)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
