/**
 * A policy file's editor: a textarea with line numbers; the whole tree, with this draft in it, goes
 * to the check route as you type, and its errors are shown at file:line (a click moves to the line)
 * before anything is saved. Save is a PUT with If-Match, so a file changed meanwhile is not overwritten.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { Confirm } from '../components/confirm.js';
import { ApiError, call, enc, messageOf, post } from '../lib/api.js';
import { href } from '../lib/router.js';
import { notify } from '../state/notices.js';
import { placeOf, type PolicyFile } from '../state/policy.js';

const CHECK_DELAY_MS = 250;

function useCheck(name: string, draft: string, files: ReadonlyMap<string, PolicyFile>): { errors: string[]; checking: boolean } {
  const [errors, setErrors] = useState<string[]>([]);
  const [checking, setChecking] = useState(false);
  useEffect(() => {
    setChecking(true);
    let current = true;
    const timer = setTimeout(() => {
      const tree = [...files.values()].filter((f) => f.name !== name).map((f) => ({ name: f.name, content: f.content }));
      post<{ errors: string[] }>('/api/v1/policy/check', { files: [...tree, { name, content: draft }] }).then(
        (r) => current && (setErrors(r.errors), setChecking(false)),
        (err: unknown) => current && (setErrors([`check failed: ${messageOf(err)}`]), setChecking(false)),
      );
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [name, draft, files]);
  return { errors, checking };
}

export function PolicyEditor({ name, file, files, isNew }: { name: string; file: PolicyFile | undefined; files: ReadonlyMap<string, PolicyFile>; isNew: boolean }) {
  const [draft, setDraft] = useState(file?.content ?? '');
  const [base, setBase] = useState<PolicyFile | undefined>(file);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState('');
  const [deleting, setDeleting] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  // a new version arriving (saved elsewhere) replaces the draft only while it is unchanged
  useEffect(() => {
    if (file && (!base || draft === base.content || draft === file.content)) (setDraft(file.content), setBase(file));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [file?.version]);
  const { errors, checking } = useCheck(name, draft, files);
  const lineErrors = new Map<number, string>();
  for (const e of errors) {
    const place = placeOf(e);
    if (place?.file === name && !lineErrors.has(place.line)) lineErrors.set(place.line, place.text);
  }
  const lines = draft.split('\n').length;
  const changed = draft !== (base?.content ?? '');
  const stale = base && file && file.version > base.version;

  const goTo = (line: number) => {
    const el = area.current!;
    const starts = draft.split('\n').slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    el.focus();
    el.setSelectionRange(starts, starts + (draft.split('\n')[line - 1]?.length ?? 0));
  };

  const save = async () => {
    setSaving(true);
    setSaveError('');
    try {
      const precondition: Record<string, string> = base ? { 'if-match': base.etag } : { 'if-none-match': '*' };
      const saved = await call<Omit<PolicyFile, 'content'>>('PUT', `/api/v1/policy/files/${enc(name)}`, { content: draft }, precondition);
      setBase({ ...saved.data, content: draft });
      notify(`Saved ${name}`);
      if (isNew) location.hash = href('policy', name);
    } catch (err) {
      setSaveError(err instanceof ApiError && err.problem.code === 'POLICY_CONFLICT' ? `${messageOf(err)}. Reload the file to see the other change.` : messageOf(err));
    } finally {
      setSaving(false);
    }
  };

  const remove = async (yes: boolean) => {
    setDeleting(false);
    if (!yes || !base) return;
    try {
      await call('DELETE', `/api/v1/policy/files/${enc(name)}`, undefined, { 'if-match': base.etag });
      notify(`Removed ${name}`);
      location.hash = href('policy');
    } catch (err) {
      setSaveError(messageOf(err));
    }
  };

  return (
    <section class="card editor-card" aria-labelledby="editor-title">
      <div class="card-head">
        <h2 id="editor-title">{name}{changed && <span class="muted"> (edited)</span>}</h2>
        <span class="muted small-text">{base ? `version ${base.version}, by ${base.updated_by}` : 'new file'}</span>
      </div>
      {stale && (
        <p class="warning" role="status">
          This file was changed since you opened it (version {file!.version}).{' '}
          <button type="button" class="small" onClick={() => (setDraft(file!.content), setBase(file))}>Load that version</button>
        </p>
      )}
      <label for="policy-text" class="sr-only">Contents of {name}</label>
      <div class="editor">
        <div class="gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lines }, (_, i) => (
            <div key={i} class={lineErrors.has(i + 1) ? 'bad' : undefined} title={lineErrors.get(i + 1)}>{i + 1}</div>
          ))}
        </div>
        <textarea
          id="policy-text"
          ref={area}
          spellcheck={false}
          wrap="off"
          value={draft}
          aria-invalid={errors.length > 0}
          aria-describedby="policy-problems"
          onInput={(e) => setDraft(e.currentTarget.value)}
          onScroll={(e) => gutter.current && (gutter.current.scrollTop = e.currentTarget.scrollTop)}
        />
      </div>
      <div id="policy-problems" class="problems" role="status" aria-live="polite">
        {checking ? (
          <p class="muted">Checking…</p>
        ) : errors.length === 0 ? (
          <p class="ok">The policy parses: no errors.</p>
        ) : (
          <ul class="error-list" aria-label="Problems">
            {errors.map((e) => {
              const place = placeOf(e);
              return (
                <li key={e}>
                  {place?.file === name ? (
                    <button type="button" class="link" onClick={() => goTo(place.line)}>{e}</button>
                  ) : (
                    <span>{e}</span>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </div>
      {saveError && <p class="error" role="alert"><strong>Not saved:</strong> {saveError}</p>}
      <div class="buttons">
        <button type="button" class="primary" disabled={saving || !changed || errors.length > 0 || checking} onClick={() => void save()}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" disabled={!changed} onClick={() => setDraft(base?.content ?? '')}>Revert</button>
        {base && <button type="button" class="danger" onClick={() => setDeleting(true)}>Remove the file</button>}
      </div>
      {deleting && <Confirm question={`Remove the policy file ${name}?`} action="Remove" onAnswer={(yes) => void remove(yes)} />}
    </section>
  );
}
