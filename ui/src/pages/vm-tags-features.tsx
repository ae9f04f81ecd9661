/** A VM's tags (from its record) and features (read again on its feature events). */
import { useEffect, useState } from 'preact/hooks';
import { call, enc, get, messageOf, type Vm } from '../lib/api.js';
import { hub } from '../state/events.js';

export function Tags({ vm }: { vm: Vm }) {
  const [tag, setTag] = useState('');
  const [error, setError] = useState('');
  const change = async (method: 'PUT' | 'DELETE', name: string) => {
    setError('');
    try {
      await call(method, `/api/v1/vms/${enc(vm.name)}/tags/${enc(name)}`);
      if (method === 'PUT') setTag('');
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <section class="card" aria-labelledby="tags-title">
      <h2 id="tags-title">Tags</h2>
      <ul class="chips" aria-label={`Tags of ${vm.name}`}>
        {vm.tags.length === 0 && <li class="muted">none</li>}
        {vm.tags.map((t) => (
          <li key={t} class="tag">
            {t}
            <button type="button" class="chip-remove" aria-label={`Remove tag ${t}`} onClick={() => void change('DELETE', t)}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <form class="inline" onSubmit={(e) => (e.preventDefault(), void change('PUT', tag))}>
        <label for="new-tag">Add a tag</label>
        <input id="new-tag" value={tag} onInput={(e) => setTag(e.currentTarget.value)} aria-invalid={error !== ''} aria-describedby={error ? 'tag-error' : undefined} />
        <button type="submit" class="small" disabled={!tag}>Add</button>
      </form>
      {error && <p class="error" id="tag-error" role="alert">{error}</p>}
    </section>
  );
}

export function Features({ vm }: { vm: Vm }) {
  const [features, setFeatures] = useState<Record<string, string>>({});
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    const load = () =>
      get<{ features: Record<string, string> }>(`/api/v1/vms/${enc(vm.name)}/features`).then(
        (r) => setFeatures(r.features),
        (err: unknown) => setError(messageOf(err)),
      );
    void load();
    return hub.on((e) => e.subject === vm.name && e.event.startsWith('domain-feature-') && void load());
  }, [vm.name]);
  const change = async (method: 'PUT' | 'DELETE', feature: string, body?: unknown) => {
    setError('');
    try {
      await call(method, `/api/v1/vms/${enc(vm.name)}/features/${enc(feature)}`, body);
      if (method === 'PUT') (setName(''), setValue(''));
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const entries = Object.entries(features);
  return (
    <section class="card" aria-labelledby="features-title">
      <h2 id="features-title">Features</h2>
      {entries.length === 0 ? (
        <p class="muted">none</p>
      ) : (
        <table class="compact">
          <thead><tr><th scope="col">Feature</th><th scope="col">Value</th><th scope="col"><span class="sr-only">Remove</span></th></tr></thead>
          <tbody>
            {entries.map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td><code>{v}</code></td>
                <td><button type="button" class="small" aria-label={`Remove feature ${k}`} onClick={() => void change('DELETE', k)}>Remove</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form class="inline" onSubmit={(e) => (e.preventDefault(), void change('PUT', name, { value }))}>
        <label for="feature-name">Feature</label>
        <input id="feature-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <label for="feature-value">Value</label>
        <input id="feature-value" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        <button type="submit" class="small" disabled={!name}>Set</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
    </section>
  );
}
