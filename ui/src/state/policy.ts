/** The policy files with their contents (for the check of a whole tree), read again on policy-file events. */
import { useEffect, useState } from 'preact/hooks';
import { enc, get, messageOf, type Schemas } from '../lib/api.js';
import { hub } from './events.js';

export type PolicyFile = Schemas['PolicyFile'];

export function usePolicyFiles(): { files: ReadonlyMap<string, PolicyFile>; error: string; loaded: boolean } {
  const [files, setFiles] = useState<ReadonlyMap<string, PolicyFile>>(new Map());
  const [error, setError] = useState('');
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    const readOne = async (name: string) => {
      try {
        const file = await get<PolicyFile>(`/api/v1/policy/files/${enc(name)}`);
        setFiles((old) => new Map(old).set(name, file));
      } catch (err) {
        setError(messageOf(err));
      }
    };
    const readAll = async () => {
      try {
        const list = await get<Schemas['PolicyFileList']>('/api/v1/policy/files');
        const all = await Promise.all(list.files.map((f) => get<PolicyFile>(`/api/v1/policy/files/${enc(f.name)}`)));
        setFiles(new Map(all.map((f) => [f.name, f])));
        setLoaded(true);
      } catch (err) {
        setError(messageOf(err));
      }
    };
    void readAll();
    return hub.on((e) => {
      const name = typeof e.payload.name === 'string' ? e.payload.name : null;
      if (!name) return;
      if (e.event.startsWith('policy-file-set:')) void readOne(name);
      else if (e.event.startsWith('policy-file-delete:'))
        setFiles((old) => {
          const next = new Map(old);
          next.delete(name);
          return next;
        });
    });
  }, []);
  return { files, error, loaded };
}

/** `file:line: message` split, for marking lines; null for a message without a place. */
export function placeOf(message: string): { file: string; line: number; text: string } | null {
  const m = /^(.+?):(\d+): (.*)$/s.exec(message);
  return m ? { file: m[1], line: Number(m[2]), text: m[3] } : null;
}
