/** The create form (POST /api/v1/vms): the API's refusals are shown at their field, the rest above the form. */
import { useMemo, useState } from 'preact/hooks';
import { describedBy, Field } from '../components/field.js';
import { LABELS } from '../components/label.js';
import { fieldErrors, messageOf, post, type Vm } from '../lib/api.js';
import { useStore } from '../lib/store.js';
import { notify } from '../state/notices.js';
import { vms } from '../state/vms.js';

const CLASSES = ['AppVM', 'TemplateVM', 'StandaloneVM', 'DispVM'];
const FIELDS = ['name', 'class', 'label', 'template', 'memory', 'vcpus'];

export function CreateVm({ onDone }: { onDone: () => void }) {
  const all = useStore(vms);
  const [form, setForm] = useState({ name: '', class: 'AppVM', label: 'red', template: '', memory: '', vcpus: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState('');
  const [busy, setBusy] = useState(false);
  const templates = useMemo(
    () => [...all.values()].filter((vm) => (form.class === 'DispVM' ? vm.template_for_dispvms : vm.class === 'TemplateVM')).map((vm) => vm.name),
    [all, form.class],
  );
  const needsTemplate = form.class === 'AppVM' || form.class === 'DispVM';
  const set = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value });

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setGeneral('');
    const properties: Record<string, number> = {};
    if (form.memory !== '') properties.memory = Number(form.memory);
    if (form.vcpus !== '') properties.vcpus = Number(form.vcpus);
    try {
      const vm = await post<Vm>('/api/v1/vms', {
        name: form.name, class: form.class, label: form.label, ...(needsTemplate && form.template ? { template: form.template } : {}), properties,
      });
      notify(`Created ${vm.name}`);
      onDone();
    } catch (err) {
      const byField = fieldErrors(err);
      const known = Object.fromEntries(Object.entries(byField).filter(([k]) => FIELDS.includes(k)));
      setErrors(known);
      if (Object.keys(known).length === 0) setGeneral(messageOf(err));
      const first = Object.keys(known)[0];
      if (first) document.getElementById(`new-${first}`)?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form id="create-vm" class="card create-vm" aria-labelledby="create-title" noValidate onSubmit={(e) => void submit(e)}>
      <h2 id="create-title">New VM</h2>
      {general && <p class="form-error" role="alert">{general}</p>}
      <div class="grid">
        <Field id="new-name" label="Name" error={errors.name} hint="a letter first, then letters, digits, _ . -">
          <input id="new-name" name="name" value={form.name} onInput={set('name')} autoComplete="off" required {...describedBy('new-name', errors.name, 'hint')} />
        </Field>
        <Field id="new-class" label="Class" error={errors.class}>
          <select id="new-class" value={form.class} onChange={set('class')} {...describedBy('new-class', errors.class)}>
            {CLASSES.map((c) => <option key={c}>{c}</option>)}
          </select>
        </Field>
        <Field id="new-label" label="Label" error={errors.label}>
          <select id="new-label" value={form.label} onChange={set('label')} {...describedBy('new-label', errors.label)}>
            {LABELS.map((l) => <option key={l}>{l}</option>)}
          </select>
        </Field>
        {needsTemplate && (
          <Field id="new-template" label="Template" error={errors.template}>
            <input id="new-template" list="new-template-list" value={form.template} onInput={set('template')} autoComplete="off" {...describedBy('new-template', errors.template)} />
            <datalist id="new-template-list">{templates.map((t) => <option key={t} value={t} />)}</datalist>
          </Field>
        )}
        <Field id="new-memory" label="Memory (MiB)" error={errors.memory} hint="the template's or 64 when empty">
          <input id="new-memory" type="number" inputMode="numeric" value={form.memory} onInput={set('memory')} {...describedBy('new-memory', errors.memory, 'hint')} />
        </Field>
        <Field id="new-vcpus" label="vCPUs" error={errors.vcpus} hint="2 when empty">
          <input id="new-vcpus" type="number" inputMode="numeric" value={form.vcpus} onInput={set('vcpus')} {...describedBy('new-vcpus', errors.vcpus, 'hint')} />
        </Field>
      </div>
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create'}
        </button>
      </div>
    </form>
  );
}
