/** API tokens bound to a management VM: created by dom0, shown once, stored as SHA-256 only. */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Store } from '../../store/store.js';
import type { TokenRow } from '../../store/token-repository.js';
import { foreignKeyViolation, uniqueViolation } from '../../store/store.js';
import type { VmCache } from '../config/vm-cache.js';
import { fail } from '../errors.js';

const sha256 = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export interface TokenInfo {
  name: string;
  vm: string;
  created_at: string;
}

export class ApiTokens {
  /** hash → token, filled on first use of each token. */
  private readonly known = new Map<string, TokenRow>();

  constructor(
    private readonly store: Store,
    private readonly vms: VmCache,
  ) {}

  async create(name: string, vm: string): Promise<{ token: string; info: TokenInfo }> {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) fail('VALIDATION_FAILED', 'token names are 1–64 of A-Z a-z 0-9 _ . -');
    const bound = (await this.vms.fresh()).byName(vm) ?? fail('VM_NOT_FOUND', `no such domain: '${vm}'`);
    const secret = `cella_${randomBytes(32).toString('base64url')}`;
    const row = await this.store.tokens.create({ id: randomUUID(), name, hash: sha256(secret), vmUuid: bound.uuid }).catch((err: unknown) => {
      if (uniqueViolation(err)) fail('TOKEN_EXISTS', `a token named '${name}' exists already`);
      if (foreignKeyViolation(err)) fail('VM_NOT_FOUND', `no such domain: '${vm}'`);
      throw err;
    });
    return { token: secret, info: this.infoOf(row) };
  }

  async list(): Promise<TokenInfo[]> {
    await this.vms.fresh();
    return (await this.store.tokens.all()).filter((row) => this.vms.byUuid(row.vmUuid) !== undefined).map((row) => this.infoOf(row));
  }

  async delete(name: string): Promise<void> {
    const row = await this.store.tokens.byName(name);
    if (!row || !(await this.store.tokens.delete(name))) fail('TOKEN_NOT_FOUND', `no token named '${name}'`);
    this.known.delete(row.hash);
  }

  /** The name of the VM a secret acts for, or null when it is no token (or its VM is gone: the token ended with it). */
  async resolve(secret: string): Promise<string | null> {
    const hash = sha256(secret);
    const row = this.known.get(hash) ?? (await this.store.tokens.byHash(hash));
    if (!row) return null;
    const vm = (await this.vms.fresh()).byUuid(row.vmUuid);
    if (vm === undefined) {
      this.known.delete(hash);
      return null;
    }
    this.known.set(hash, row);
    return vm.name;
  }

  private infoOf(row: TokenRow): TokenInfo {
    return { name: row.name, vm: this.vms.byUuid(row.vmUuid)?.name ?? '', created_at: row.createdAt.toISOString() };
  }
}
