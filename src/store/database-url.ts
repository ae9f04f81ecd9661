/** DATABASE_URL parsing: which store a URL names, and how to print it without its password. */
export type DatabaseKind = 'sqlite' | 'postgresql';

export function databaseKind(url: string): DatabaseKind {
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  if (url.startsWith('file:')) return 'sqlite';
  throw new Error(`unsupported DATABASE_URL '${redact(url)}': use file:PATH (SQLite) or postgresql://… (PostgreSQL)`);
}

/** The SQLite file a `file:` URL names. */
export function sqlitePath(url: string): string {
  return url.slice('file:'.length).replace(/\?.*$/, '');
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
