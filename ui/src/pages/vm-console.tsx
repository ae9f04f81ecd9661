/**
 * The guest console: while the VM has a domain, the console websocket (the kept tail, then every
 * new chunk); otherwise the last output over HTTP. It keeps the last 64 KiB on the page.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { enc, get, type Schemas, type Vm } from '../lib/api.js';
import { keepOpen } from '../lib/socket.js';

const KEEP = 64 * 1024;
const LIVE = new Set(['running', 'paused', 'halting']);

export function Console({ vm }: { vm: Vm }) {
  const [text, setText] = useState('');
  const [following, setFollowing] = useState(false);
  const pre = useRef<HTMLPreElement>(null);
  const live = LIVE.has(vm.state);
  useEffect(() => {
    if (!live) {
      get<Schemas['ConsoleOutput']>(`/api/v1/vms/${enc(vm.name)}/console?tail=${KEEP}`).then(
        (out) => setText(out.data),
        (err: unknown) => console.warn('cella: no console:', err),
      );
      return undefined;
    }
    let first = true;
    const socket = keepOpen({
      path: () => `/api/v1/vms/${enc(vm.name)}/console`,
      retry: false,
      onState: setFollowing,
      onMessage: (chunk) => {
        // the socket's first message is the kept tail: it replaces what the page had
        setText((old) => ((first ? '' : old) + chunk).slice(-KEEP));
        first = false;
      },
    });
    return () => socket.stop();
  }, [vm.name, live]);
  useEffect(() => {
    const el = pre.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [text]);
  return (
    <section class="card console-card" aria-labelledby="console-title">
      <h2 id="console-title">
        Console <span class="muted small-text">{following ? '(following)' : live ? '(connecting…)' : '(last output)'}</span>
      </h2>
      <pre class="console" ref={pre} role="log" aria-live="polite" aria-label={`Console of ${vm.name}`} tabIndex={0}>
        {text || ' '}
      </pre>
    </section>
  );
}
