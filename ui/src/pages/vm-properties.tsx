/**
 * A VM's properties as qvm-prefs shows them: name, flag (D: default, -: set), value; each editable
 * property is a small form (Set, and Default to reset it), its refusal shown at its row.
 */
import { useEffect, useState } from 'preact/hooks';
import { LABELS } from '../components/label.js';
import { call, enc, fieldErrors, get, messageOf, type Schemas, type Vm } from '../lib/api.js';
import { useStore } from '../lib/store.js';
import { vms } from '../state/vms.js';

type Info = Schemas['PropertyInfo'];
let catalogue: Promise<Info[]> | null = null;
const properties = () => (catalogue ??= get<{ properties: Info[] }>('/api/v1/properties').then((r) => r.properties));

function shown(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** Whether a property has a default to go back to (name, label and an AppVM's template have none). */
function resettable(info: Info): boolean {
  return info.default !== null || info.inherits_from_template || (info.type === 'vm' && info.name !== 'template');
}

function parse(info: Info, text: string): string | number | boolean {
  if (info.type === 'int') return text.trim() === '' ? NaN : Number(text);
  if (info.type === 'bool') return text === 'true';
  return text;
}

function Editor({ id, info, value, onInput, invalid }: { id: string; info: Info; value: string; onInput: (v: string) => void; invalid: boolean }) {
  const aria = { 'aria-describedby': invalid ? `${id}-error` : `${id}-doc`, 'aria-invalid': invalid };
  const input = (e: Event) => onInput((e.currentTarget as HTMLInputElement).value);
  if (info.type === 'bool')
    return (
      <select id={id} value={value} onChange={input} {...aria}>
        <option>true</option>
        <option>false</option>
      </select>
    );
  if (info.type === 'label')
    return (
      <select id={id} value={value} onChange={input} {...aria}>
        {LABELS.map((l) => <option key={l}>{l}</option>)}
      </select>
    );
  return <input id={id} type={info.type === 'int' ? 'number' : 'text'} value={value} onInput={input} list={info.type === 'vm' ? 'vm-names' : undefined} {...aria} />;
}

function PropertyRow({ vm, info }: { vm: Vm; info: Info }) {
  const current = shown((vm as Record<string, unknown>)[info.name]);
  const isDefault = vm.defaults.includes(info.name);
  const [draft, setDraft] = useState(current);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(current), [current]);
  const id = `prop-${info.name}`;
  const patch = async (value: unknown) => {
    setBusy(true);
    setError('');
    try {
      await call('PATCH', `/api/v1/vms/${enc(vm.name)}`, { [info.name]: value });
      if (info.name === 'name' && typeof value === 'string') location.hash = `#/vms/${enc(value)}`;
    } catch (err) {
      setError(fieldErrors(err)[info.name] ?? messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr data-property={info.name}>
      <th scope="row">
        <label for={info.readonly ? undefined : id}>{info.name}</label>
      </th>
      <td class="flag">
        <abbr title={isDefault ? 'default' : 'set on this VM'}>{isDefault ? 'D' : '-'}</abbr>
      </td>
      <td>
        {info.readonly ? (
          <span>{current}</span>
        ) : (
          <form class="prop-form" onSubmit={(e) => (e.preventDefault(), void patch(parse(info, draft)))}>
            <Editor id={id} info={info} value={draft} onInput={setDraft} invalid={error !== ''} />
            {info.unit && <span class="unit">{info.unit}</span>}
            <button type="submit" class="small" disabled={busy || draft === current} aria-label={`Set ${info.name}`}>
              Set
            </button>
            {!isDefault && resettable(info) && (
              <button type="button" class="small" disabled={busy} aria-label={`Reset ${info.name} to its default`} onClick={() => void patch(null)}>
                Default
              </button>
            )}
          </form>
        )}
        {error && (
          <span class="error" id={`${id}-error`} role="alert">
            {error}
          </span>
        )}
        <span class="sr-only" id={`${id}-doc`}>
          {info.doc}
        </span>
      </td>
    </tr>
  );
}

export function Properties({ vm }: { vm: Vm }) {
  const [infos, setInfos] = useState<Info[]>([]);
  const all = useStore(vms);
  useEffect(() => {
    properties().then(setInfos, (err: unknown) => console.warn('cella: no property catalogue:', err));
  }, []);
  const mine = infos.filter((p) => p.classes.includes(vm.class as Info['classes'][number]));
  return (
    <section class="card" aria-labelledby="props-title">
      <h2 id="props-title">Properties</h2>
      <datalist id="vm-names">{[...all.keys()].map((n) => <option key={n} value={n} />)}</datalist>
      <table class="props">
        <thead>
          <tr>
            <th scope="col">Property</th>
            <th scope="col"><abbr title="D: default, -: set">Flag</abbr></th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {mine.map((info) => <PropertyRow key={info.name} vm={vm} info={info} />)}
        </tbody>
      </table>
    </section>
  );
}
