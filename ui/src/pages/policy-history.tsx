/** A policy file's history: every version, who and when; a version shows as a line diff against the one before (jsdiff). */
import { diffLines } from 'diff';
import { useEffect, useState } from 'preact/hooks';
import { enc, get, messageOf, type Schemas } from '../lib/api.js';
import { dateTime } from '../lib/format.js';

type Version = Schemas['PolicyHistory']['versions'][number];

function Diff({ before, after }: { before: string; after: string }) {
  const parts = diffLines(before, after);
  const lines: { kind: 'add' | 'del' | 'same'; text: string }[] = [];
  for (const p of parts) {
    const kind = p.added ? 'add' : p.removed ? 'del' : 'same';
    for (const text of p.value.replace(/\n$/, '').split('\n')) lines.push({ kind, text });
  }
  return (
    <pre class="diff" aria-label="Changes in this version" tabIndex={0}>
      {lines.map((l, i) => (
        <div key={i} class={l.kind}>
          <span class="sr-only">{l.kind === 'add' ? 'added: ' : l.kind === 'del' ? 'removed: ' : ''}</span>
          <span aria-hidden="true">{l.kind === 'add' ? '+ ' : l.kind === 'del' ? '- ' : '  '}</span>
          {l.text}
        </div>
      ))}
    </pre>
  );
}

export function PolicyHistory({ name, version }: { name: string; version: number }) {
  const [versions, setVersions] = useState<Version[]>([]);
  const [error, setError] = useState('');
  const [open, setOpen] = useState<number | null>(null);
  useEffect(() => {
    get<Schemas['PolicyHistory']>(`/api/v1/policy/files/${enc(name)}/history`).then(
      (h) => (setVersions(h.versions), setOpen(h.versions.at(-1)?.version ?? null)),
      (err: unknown) => setError(messageOf(err)),
    );
  }, [name, version]);
  const index = versions.findIndex((v) => v.version === open);
  const chosen = versions[index];
  return (
    <section class="card" aria-labelledby="history-title">
      <h2 id="history-title">History of {name}</h2>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="history">
        <ul class="versions" aria-label="Versions">
          {[...versions].reverse().map((v) => (
            <li key={v.version}>
              <button type="button" class={`link${v.version === open ? ' current' : ''}`} aria-pressed={v.version === open} onClick={() => setOpen(v.version)}>
                v{v.version} {v.action} by {v.changed_by}
              </button>
              <span class="muted small-text"> {dateTime(v.changed_at)}</span>
            </li>
          ))}
        </ul>
        {chosen && <Diff before={versions[index - 1]?.content ?? ''} after={chosen.content ?? ''} />}
      </div>
    </section>
  );
}
