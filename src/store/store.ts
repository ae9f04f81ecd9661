/** The store: repositories over one database, and transactions that bind them to one connection. */
import { openDatabase, type Database, type Db, type DbTx } from './database.js';
import { EventRepository } from './event-repository.js';
import { ImageRepository } from './image-repository.js';
import { PolicyRepository } from './policy-repository.js';
import { SnapshotRepository } from './snapshot-repository.js';
import { TokenRepository } from './token-repository.js';
import { VmRepository } from './vm-repository.js';

export interface Repositories {
  readonly vms: VmRepository;
  readonly events: EventRepository;
  readonly images: ImageRepository;
  readonly policy: PolicyRepository;
  readonly tokens: TokenRepository;
  readonly snapshots: SnapshotRepository;
}

export class Store implements Repositories {
  readonly vms: VmRepository;
  readonly events: EventRepository;
  readonly images: ImageRepository;
  readonly policy: PolicyRepository;
  readonly tokens: TokenRepository;
  readonly snapshots: SnapshotRepository;

  private constructor(readonly database: Database) {
    const repos = repositoriesOf(database.prisma);
    this.vms = repos.vms;
    this.events = repos.events;
    this.images = repos.images;
    this.policy = repos.policy;
    this.tokens = repos.tokens;
    this.snapshots = repos.snapshots;
  }

  static async open(url: string): Promise<Store> {
    return new Store(await openDatabase(url));
  }

  /** Runs `work` in one database transaction: all of it is written, or none. */
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    return this.database.prisma.$transaction((tx) => work(repositoriesOf(tx)), { timeout: 30_000, maxWait: 30_000 });
  }

  close(): Promise<void> {
    return this.database.close();
  }
}

function repositoriesOf(db: Db | DbTx): Repositories {
  return {
    vms: new VmRepository(db),
    events: new EventRepository(db),
    images: new ImageRepository(db),
    policy: new PolicyRepository(db),
    tokens: new TokenRepository(db),
    snapshots: new SnapshotRepository(db),
  };
}

/** Whether a write failed on a foreign key (the row it points at is gone): Prisma's P2003. */
export function foreignKeyViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2003';
}

/**
 * Whether `err` is a unique-constraint violation, and on which fields: Prisma's P2002 from a model
 * query, or P2010 (raw query failed) whose driver error is a UniqueConstraintViolation.
 */
export function uniqueViolation(err: unknown): string[] | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as {
    code?: unknown;
    meta?: { target?: unknown; driverAdapterError?: { cause?: { kind?: unknown; constraint?: { fields?: unknown } } } };
  };
  const cause = e.meta?.driverAdapterError?.cause;
  if (e.code !== 'P2002' && !(e.code === 'P2010' && cause?.kind === 'UniqueConstraintViolation')) return null;
  const fields = cause?.constraint?.fields ?? e.meta?.target;
  return Array.isArray(fields) ? fields.map((f) => String(f).replace(/^"|"$/g, '')) : [];
}
