/** The policy: the files, an editor checked as you type, the file's history with diffs, and a dry run. */
import { useState } from 'preact/hooks';
import { PageTitle } from '../components/page-title.js';
import { href } from '../lib/router.js';
import { usePolicyFiles } from '../state/policy.js';
import { DryRun } from './policy-dry-run.js';
import { PolicyEditor } from './policy-editor.js';
import { PolicyHistory } from './policy-history.js';

const NAME = /^(include\/)?[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

function NewFile() {
  const [name, setName] = useState('');
  const valid = NAME.test(name) && (name.startsWith('include/') || name.endsWith('.policy'));
  return (
    <form class="new-file" onSubmit={(e) => (e.preventDefault(), valid && (location.hash = href('policy', name, 'new')))}>
      <label for="new-policy">New file</label>
      <input id="new-policy" value={name} placeholder="40-mine.policy" onInput={(e) => setName(e.currentTarget.value)} aria-describedby="new-policy-hint" />
      <span id="new-policy-hint" class="hint">NAME.policy, or include/NAME</span>
      <button type="submit" class="small" disabled={!valid}>Open</button>
    </form>
  );
}

export function PolicyPage({ file, isNew }: { file?: string; isNew: boolean }) {
  const { files, error, loaded } = usePolicyFiles();
  const names = [...files.keys()].sort();
  const current = file ? files.get(file) : undefined;
  return (
    <section aria-labelledby="page-title" class="policy-page">
      <PageTitle>Policy</PageTitle>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="policy-layout">
        <nav class="card files" aria-label="Policy files">
          <h2>Files</h2>
          <ul>
            {names.map((n) => (
              <li key={n}>
                <a href={href('policy', n)} aria-current={n === file ? 'page' : undefined}>{n}</a>
                <span class="muted small-text"> v{files.get(n)!.version}</span>
              </li>
            ))}
            {loaded && names.length === 0 && <li class="muted">No files yet.</li>}
          </ul>
          <NewFile />
        </nav>
        <div class="policy-main">
          {file && loaded && (current || isNew) ? (
            <>
              <PolicyEditor key={file} name={file} file={current} files={files} isNew={!current} />
              {current && <PolicyHistory name={file} version={current.version} />}
            </>
          ) : file && loaded ? (
            <p>There is no policy file {file}. <a href={href('policy', file, 'new')}>Create it</a></p>
          ) : (
            <p class="muted">{loaded ? 'Choose a file to edit, or start a new one.' : 'Loading…'}</p>
          )}
          <DryRun />
        </div>
      </div>
    </section>
  );
}
