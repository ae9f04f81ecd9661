/** Pending `ask` questions, answered from the page as Qubes' ask dialog does: pick a target and allow, or deny. */
import { useState } from 'preact/hooks';
import { PageTitle } from '../components/page-title.js';
import { enc, messageOf, post } from '../lib/api.js';
import { dateTime } from '../lib/format.js';
import { useStore } from '../lib/store.js';
import { asks, type Ask } from '../state/asks.js';
import { notify } from '../state/notices.js';

function Question({ ask }: { ask: Ask }) {
  const [target, setTarget] = useState(ask.default_target ?? ask.choices[0] ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const id = `ask-${ask.id}`;
  const answer = async (allow: boolean) => {
    setBusy(true);
    setError('');
    try {
      await post(`/api/v1/qrexec/asks/${enc(ask.id)}`, allow ? { allow: true, target } : { allow: false });
      notify(allow ? `Allowed ${ask.service} from ${ask.source} to ${target}` : `Denied ${ask.service} from ${ask.source}`);
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };
  const service = `${ask.service}${ask.argument}`;
  return (
    <li class="card question" aria-labelledby={`${id}-title`} data-ask={ask.id}>
      <h2 id={`${id}-title`}>
        <strong>{ask.source}</strong> wants to call <code>{service}</code>
        {ask.target && ask.target !== '@default' ? <> on <strong>{ask.target}</strong></> : null}
      </h2>
      <p class="muted small-text">
        Asked by {ask.rule ? <code>{ask.rule.file}:{ask.rule.line}</code> : 'the policy'}; denied at {dateTime(ask.expires_at)} if not answered.
      </p>
      <form class="inline" onSubmit={(e) => (e.preventDefault(), void answer(true))}>
        <label for={`${id}-target`}>Target</label>
        <select id={`${id}-target`} value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
          {ask.choices.map((c) => (
            <option key={c} value={c}>{c}{c === ask.default_target ? ' (default)' : ''}</option>
          ))}
        </select>
        <button type="submit" class="primary" disabled={busy || !target} aria-label={`Allow ${service} from ${ask.source}`}>Allow</button>
        <button type="button" class="danger" disabled={busy} aria-label={`Deny ${service} from ${ask.source}`} onClick={() => void answer(false)}>
          Deny
        </button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
    </li>
  );
}

export function AsksPage() {
  const pending = useStore(asks);
  return (
    <section aria-labelledby="page-title">
      <PageTitle>Questions</PageTitle>
      <p class="muted">qrexec calls whose policy rule says <code>ask</code> wait here for an answer.</p>
      {pending.length === 0 ? (
        <p role="status">No question is waiting.</p>
      ) : (
        <ul class="questions" aria-label="Waiting questions">{pending.map((a) => <Question key={a.id} ask={a} />)}</ul>
      )}
    </section>
  );
}
