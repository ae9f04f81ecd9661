/** A dry run (POST /api/v1/policy/evaluate): what the policy decides for a call, and the rule that decided. */
import { useState } from 'preact/hooks';
import { describedBy, Field } from '../components/field.js';
import { fieldErrors, messageOf, post, type Schemas } from '../lib/api.js';

export function DryRun() {
  const [form, setForm] = useState({ source: '', target: '', service: '', argument: '' });
  const [decision, setDecision] = useState<Schemas['Decision'] | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const set = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value });
  const run = async (e: Event) => {
    e.preventDefault();
    setErrors({});
    setError('');
    try {
      setDecision(await post<Schemas['Decision']>('/api/v1/policy/evaluate', form));
    } catch (err) {
      setDecision(null);
      const byField = fieldErrors(err);
      setErrors(byField);
      if (Object.keys(byField).length === 0) setError(messageOf(err));
    }
  };
  const input = (key: keyof typeof form, label: string, hint?: string) => (
    <Field id={`dry-${key}`} label={label} error={errors[key]} hint={hint}>
      <input id={`dry-${key}`} value={form[key]} onInput={set(key)} autoComplete="off" {...describedBy(`dry-${key}`, errors[key], hint)} />
    </Field>
  );
  return (
    <section class="card" aria-labelledby="dry-title">
      <h2 id="dry-title">Dry run</h2>
      <form class="grid dry-run" onSubmit={(e) => void run(e)} noValidate>
        {input('source', 'Source VM')}
        {input('target', 'Target', 'a VM, @default, @dispvm…')}
        {input('service', 'Service', 'e.g. qubes.GetDate')}
        {input('argument', 'Argument')}
        <div class="buttons"><button type="submit" class="primary">Evaluate</button></div>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {decision && (
        <div class="decision" role="status" aria-live="polite">
          <p>
            Decision: <strong class={`decision-${decision.action}`}>{decision.action}</strong>
            {decision.target && <> to <code>{decision.target}</code></>}
            {decision.ask_choices && <> (choices: {decision.ask_choices.targets.join(', ') || 'none'}{decision.ask_choices.default_target ? `; default ${decision.ask_choices.default_target}` : ''})</>}
          </p>
          <p>
            {decision.rule ? (
              <>Deciding rule: <code class="rule-place">{decision.rule.file}:{decision.rule.line}</code> <code>{decision.rule.text}</code></>
            ) : (
              <>No rule matched.</>
            )}
          </p>
          <p class="muted">{decision.reason}</p>
        </div>
      )}
    </section>
  );
}
