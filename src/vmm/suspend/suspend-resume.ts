/**
 * Suspend to file and resume, for one VM or a group (reference: design.md "Suspend to file").
 * Suspend takes every VM's lock (in name order), stops all their vCPUs in one synchronous step so
 * the group's state is one instant, writes one file crash-safely with progress events, and
 * records the snapshot in the index. A write that fails puts every VM back as it was. Resume
 * verifies the whole file and every part of the VM's state before it touches anything; a refused
 * resume leaves the VM suspended.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { VmRecord } from '../../store/vm-repository.js';
import type { SnapshotReason, SnapshotRow, SnapshotVm } from '../../store/snapshot-repository.js';
import type { ConfigTransactions } from '../config/config-transaction.js';
import { DOM0_UUID } from '../config/dom0.js';
import type { PowerState } from '../config/power-state.js';
import type { VmCache } from '../config/vm-cache.js';
import { mustFind } from '../config/vm-registry.js';
import type { VmView } from '../config/vm-view.js';
import { CellaError, fail, type ErrorCode } from '../errors.js';
import type { SuspendCapture, VmMonitor, VmSpec } from '../domain/vm-monitor.js';
import type { VmInstance } from '../../guest-kernel/vm-instance.js';
import { FORMAT_VERSION } from './format/index.js';
import { snapshotCode, snapshotError } from './snapshot-refusals.js';
import { loadVm, openVmSnapshot, writeVmSnapshot, type LoadedVm, type VmToWrite } from './vm-snapshot.js';
import type { EventList, Lifecycle } from '../lifecycle/lifecycle.js';
import type { VmRuntime } from '../lifecycle/vm-runtime.js';
import { refusal } from '../lifecycle/vm-machine.js';
import { defaultFile, SNAPSHOT_FILE_PATTERN, SnapshotIndex } from './snapshot-index.js';
import { CELLA_VERSION } from '../version.js';

export { SNAPSHOT_FILE_PATTERN } from './snapshot-index.js';

/** Progress events per file at most (one per this fraction of the bytes). */
const PROGRESS_STEPS = 20;

export interface SuspendOptions {
  /** File name in the snapshot directory; `<id>.cella` by default. */
  readonly file?: string;
  /** Why: asked for (the default), the VM was idle (autosuspend_idle_s), or the manager stops (on_host_stop=suspend). */
  readonly reason?: SnapshotReason;
  /** Checked again once the VMs' locks are held, before anything is captured: false refuses (INVALID_STATE). */
  readonly stillWanted?: (name: string) => boolean;
}

export class SuspendResume {
  /** Files being written now (one writer per file). */
  private readonly writing = new Set<string>();
  /** The index and the snapshot directory: list, remove, prune, the leftovers of a crash. */
  readonly index: SnapshotIndex;

  constructor(
    private readonly lifecycle: Lifecycle,
    private readonly cache: VmCache,
    private readonly tx: ConfigTransactions,
    private readonly monitor: VmMonitor,
    readonly dir: string,
  ) {
    this.index = new SnapshotIndex(lifecycle, cache, tx, dir, this.writing);
  }

  /** Suspends the named VMs (running or paused) into one file; returns its index entry. */
  async suspend(names: readonly string[], options: SuspendOptions = {}): Promise<SnapshotRow> {
    if (names.length === 0) fail('VALIDATION_FAILED', 'no VM to suspend');
    if (options.file !== undefined && !SNAPSHOT_FILE_PATTERN.test(options.file)) {
      fail('VALIDATION_FAILED', `snapshot file name '${options.file}' must be a plain name ending in .cella (letters, digits, . _ -)`);
    }
    const vms = await this.records(names);
    return this.withLocks(vms, async (rts) => {
      for (const [vm, rt] of zip(vms, rts)) this.check(vm, rt, 'suspend');
      for (const vm of vms) {
        if (options.stillWanted && !options.stillWanted(vm.name)) fail('INVALID_STATE', `${vm.name} is no longer idle`, { state: 'running' });
      }
      const id = snapshotId(vms[0].name);
      const file = options.file ?? defaultFile(id);
      await this.claimFile(file);
      try {
        return await this.suspendLocked(vms, rts, id, file, options.reason ?? 'request');
      } finally {
        this.writing.delete(file);
      }
    });
  }

  /** Takes `file` for one writer; refused while another suspend writes it or a VM is suspended into what it holds. */
  private async claimFile(file: string): Promise<void> {
    if (this.writing.has(file)) fail('INVALID_STATE', `snapshot file ${file} is being written by another suspend; choose another file`, { state: 'running' });
    this.writing.add(file);
    try {
      const old = await this.tx.run(async ({ repos }) => repos.snapshots.byFile(file));
      const holders = old ? this.suspendedInto(old) : [];
      if (holders.length > 0) {
        fail('INVALID_STATE', `snapshot file ${file} holds snapshot ${old!.id}, which ${holders.join(', ')} ${holders.length > 1 ? 'are' : 'is'} suspended into; resume first or choose another file`, { state: 'running' });
      }
    } catch (err) {
      this.writing.delete(file);
      throw err;
    }
  }

  private async suspendLocked(vms: readonly VmRecord[], rts: VmRuntime[], id: string, file: string, reason: SnapshotReason): Promise<SnapshotRow> {
    const from = rts.map((rt) => rt.state as 'running' | 'paused');
    await this.stopOnCpus(rts);
    // a guest that ended while the suspend claimed its file is on its way to halted: nothing to save
    const ended = vms.find((_, i) => rts[i].instance!.ended);
    if (ended) {
      this.restartOnCpus(rts, from);
      fail('INVALID_STATE', `Domain ${ended.name} is stopping (its guest has ended)`, { state: 'halting' });
    }
    // one instant for the whole group: every vCPU stops and every state is taken before anything awaits
    const captures: SuspendCapture[] = [];
    try {
      for (const rt of rts) captures.push(this.monitor.suspend(rt.instance!));
    } catch (err) {
      captures.forEach((c, i) => this.rollback(rts[i], c, from[i]));
      throw err;
    }
    rts.forEach((rt) => rt.send({ type: 'suspend' }));
    /** Anything that fails from here on puts every VM back as it was, and leaves no file. */
    const undo = async (why: string): Promise<void> => {
      rts.forEach((rt, i) => {
        try {
          this.rollback(rt, captures[i], from[i]);
        } catch {
          // a VM that cannot be put back is killed by its next command; the others still go on
        }
      });
      await this.lifecycle.persistAll(vms, (i) => from[i], [['domain-suspend-failed', { reason: why }]])
        .catch((err: unknown) => this.lifecycle.log.error({ err, vms: vms.map((v) => v.name), reason: why }, 'suspend failed, and recording that failed too'));
    };
    let written: Awaited<ReturnType<typeof writeVmSnapshot>>;
    try {
      await this.lifecycle.persistAll(vms, () => 'suspending', [['domain-pre-suspend', { snapshot: id, file, reason }]]);
      const toWrite: VmToWrite[] = vms.map((vm, i) => ({
        uuid: vm.uuid, name: vm.name, domid: rts[i].instance!.pd.id, spec: rts[i].instance!.spec, from: from[i],
        capture: captures[i],
      }));
      await mkdir(this.dir, { recursive: true }).catch(() => undefined);
      written = await writeVmSnapshot(join(this.dir, file), toWrite, this.progress(id, vms, 'write'));
    } catch (err) {
      await undo(err instanceof Error ? err.message : String(err));
      throw err;
    }
    if (!written.ok) {
      await undo(written.error.message);
      throw snapshotError(written.error, 'SNAPSHOT_IO');
    }
    const summary = written.value;
    const members: SnapshotVm[] = vms.map((vm, i) => ({ uuid: vm.uuid, name: vm.name, domid: rts[i].instance!.pd.id, memory_mib: rts[i].instance!.spec.memoryMiB }));
    let row: SnapshotRow;
    try {
      row = await this.tx.run(async ({ repos, vms: cache, emit, touch }) => {
        const old = await repos.snapshots.byFile(file);
        if (old) await repos.snapshots.delete(old.id);
        const created = await repos.snapshots.create({
          id, file, vms: members, bytes: summary.bytes, sha256: summary.sha256, formatVersion: FORMAT_VERSION, cellaVersion: CELLA_VERSION, reason,
        });
        for (const vm of vms) {
          const updated = await repos.vms.setPowerState(cache.byUuid(vm.uuid) ?? vm, 'suspended');
          touch(vm.uuid, updated);
          emit('domain-suspended', vm.name, { snapshot: id, file, bytes: summary.bytes });
        }
        return created;
      });
    } catch (err) {
      // a file nobody can find in the index is no use: it goes, and the VMs go on
      await rm(join(this.dir, file), { force: true }).catch(() => undefined);
      await undo(err instanceof Error ? err.message : String(err));
      throw err;
    }
    rts.forEach((rt) => {
      rt.send({ type: 'suspended' });
      rt.suspendedInto(id);
    });
    return row;
  }

  /** Resumes a suspended VM from the snapshot it was suspended into (`snapshot`, when given, must be that one). */
  async resume(name: string, snapshot?: string): Promise<VmView> {
    const vm = mustFind(await this.cache.fresh(), name);
    const [view] = await this.withLocks([vm], async ([rt]) => {
      this.check(vm, rt, 'resume');
      const id = rt.snapshot!;
      if (snapshot !== undefined && snapshot !== id) {
        fail('SNAPSHOT_MISMATCH', `${name} is suspended into snapshot ${id}, not ${snapshot}; resume it from ${id}, or kill it first`);
      }
      return this.apply([vm], id, [await this.prepare(vm, rt, id)]);
    });
    return view;
  }

  /** Resumes every VM of a snapshot that is suspended into it; returns their views. */
  async resumeSnapshot(id: string): Promise<VmView[]> {
    const row = await this.row(id);
    const vms = await this.records(row.vms.map((v) => v.name).filter((n) => this.cache.byName(n)));
    return this.withLocks(vms, async (rts) => {
      const mine = vms.filter((_, i) => rts[i].snapshot === id);
      if (mine.length === 0) fail('INVALID_STATE', `no VM is suspended into snapshot ${id}`, { state: 'halted' });
      // every member is checked before any resumes: a refusal leaves them all suspended
      const prepared: LoadedVm[] = [];
      for (const vm of mine) {
        // the caps count the members resumed before it too
        const also = { vms: prepared.length, memoryMiB: prepared.reduce((sum, p) => sum + p.header.spec.memoryMiB, 0) };
        prepared.push(await this.prepare(vm, this.lifecycle.runtime(vm.uuid), id, also));
      }
      return this.apply(mine, id, prepared);
    });
  }

  /** The VMs suspended into `row` now, by name. */
  suspendedInto(row: SnapshotRow): string[] {
    return this.index.suspendedInto(row);
  }

  list(): Promise<SnapshotRow[]> {
    return this.index.list();
  }

  // ---- internals ----

  /**
   * Everything a resume checks, while the VM is still suspended and nothing has changed: the caps,
   * the whole file, the VM's state in it, its domain id. A refusal is an event and an error.
   */
  private async prepare(vm: VmRecord, rt: VmRuntime, id: string, also = { vms: 0, memoryMiB: 0 }): Promise<LoadedVm> {
    const row = await this.row(id);
    // the caps count the memory the domain has (a domain built again from the file has its saved size, checked below)
    if (rt.instance) this.lifecycle.checkLimits({ name: vm.name, memory: rt.instance.spec.memoryMiB }, 'resuming', also);
    const refuse = (code: ErrorCode, message: string) => this.refuseResume(vm, code, message);
    const opened = await openVmSnapshot(join(this.dir, row.file));
    if (!opened.ok) return refuse(snapshotCode(opened.error), opened.error.message);
    try {
      let loaded: Awaited<ReturnType<typeof loadVm>>;
      try {
        loaded = await loadVm(opened.value, vm.uuid, rt.instance ? { spec: rt.instance.spec, brk: rt.instance.process.brk } : null);
      } catch (err) {
        return await refuse('SNAPSHOT_INVALID', `snapshot ${id}: the state of ${vm.name} does not load: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (!loaded.ok) return await refuse(snapshotCode(loaded.error), loaded.error.message);
      const domid = rt.instance?.pd.id ?? rt.coldDomid!;
      if (loaded.value.header.domid !== domid) {
        return await refuse('SNAPSHOT_MISMATCH', `snapshot ${id} holds ${vm.name} as domain ${loaded.value.header.domid}, the suspended domain is ${domid}`);
      }
      if (rt.instance === null) {
        // a resume after a restart builds the domain again from the file alone
        if (loaded.value.domain === null) {
          return await refuse('SNAPSHOT_INVALID', `snapshot ${id} was written without ${vm.name}'s domain tables; it resumes only in the manager run that wrote it`);
        }
        const owner = this.monitor.hv.domain(domid);
        if (owner) return await refuse('SNAPSHOT_MISMATCH', `snapshot ${id} holds ${vm.name} as domain ${domid}, which ${owner.name} has now`);
        if (!this.lifecycle.images.get(loaded.value.header.spec.image)) {
          return await refuse('IMAGE_NOT_FOUND', `snapshot ${id}: ${vm.name} ran image '${loaded.value.header.spec.image}', which is gone`);
        }
        this.lifecycle.checkLimits({ name: vm.name, memory: loaded.value.header.spec.memoryMiB }, 'resuming', also);
      }
      return loaded.value;
    } finally {
      await opened.value.view.close().catch(() => undefined);
    }
  }

  /**
   * Puts the prepared states back and lets the vCPUs go on: each warm member into the domain that
   * waited in this process; the members suspended by an earlier run of the manager together, into
   * domains built again from the file (everything between them comes back). Views in the order of
   * `vms`.
   */
  private async apply(vms: readonly VmRecord[], id: string, prepared: readonly LoadedVm[]): Promise<VmView[]> {
    const rts = vms.map((vm) => this.lifecycle.runtime(vm.uuid));
    const views = new Map<string, VmView>();
    const cold: number[] = [];
    for (const [i, vm] of vms.entries()) {
      if (rts[i].instance === null) cold.push(i);
      else views.set(vm.uuid, await this.applyWarm(vm, rts[i], id, prepared[i]));
    }
    if (cold.length > 0) {
      const coldVms = cold.map((i) => vms[i]);
      for (const i of cold) rts[i].send({ type: 'resume' });
      await this.lifecycle.persistAll(coldVms, () => 'resuming', [['domain-pre-resume', { snapshot: id }]]);
      let instances: VmInstance[];
      try {
        instances = this.monitor.restore(cold.map((i) => ({ spec: this.specOf(vms[i], prepared[i]), paused: prepared[i].header.from === 'paused', saved: { ...prepared[i], domain: prepared[i].domain!, processes: (pid: number) => prepared[i].processes.get(pid)! } })));
      } catch (err) {
        const message = `snapshot ${id}: the state of ${coldVms.map((vm) => vm.name).join(', ')} does not restore: ${err instanceof Error ? err.message : String(err)}`;
        for (const i of cold) rts[i].send({ type: 'resume-failed' });
        await this.lifecycle.persistAll(coldVms, () => 'suspended', [['domain-resume-failed', { reason: message }]]);
        throw new CellaError('SNAPSHOT_INVALID', message);
      }
      for (const [n, i] of cold.entries()) this.lifecycle.place(vms[i], instances[n]);
      for (const [n, i] of cold.entries()) {
        const rt = rts[i];
        rt.rebuilt();
        await this.lifecycle.adopt(rt, vms[i], instances[n]);
        views.set(vms[i].uuid, await this.resumed(vms[i], rt, id, instances[n], prepared[i].header.from));
      }
    }
    await this.index.resumedFrom(id);
    return vms.map((vm) => views.get(vm.uuid)!);
  }

  /** Resume of a domain that waited in this process. */
  private async applyWarm(vm: VmRecord, rt: VmRuntime, id: string, loaded: LoadedVm): Promise<VmView> {
    const instance = rt.instance!;
    rt.send({ type: 'resume' });
    await this.lifecycle.persist(vm, 'resuming', [['domain-pre-resume', { snapshot: id }]]);
    try {
      this.monitor.resume(instance, { ...loaded, processes: (pid) => loaded.processes.get(pid)! }, loaded.header.from === 'paused');
    } catch (err) {
      rt.send({ type: 'resume-failed' });
      return this.refuseResume(vm, 'SNAPSHOT_INVALID', `snapshot ${id}: the state of ${vm.name} does not restore: ${err instanceof Error ? err.message : String(err)}`);
    }
    return this.resumed(vm, rt, id, instance, loaded.header.from);
  }

  /**
   * The VM is back: running, or paused again when it was paused as it was suspended (as libvirt's
   * managed save restores a domain to the state it was saved in; the VM monitor left its vCPUs paused).
   */
  private resumed(vm: VmRecord, rt: VmRuntime, id: string, instance: VmInstance, from: 'running' | 'paused'): Promise<VmView> {
    rt.resumed();
    rt.send({ type: 'resumed' });
    const events: EventList = [['domain-resumed', { snapshot: id, domid: instance.pd.id, state: from }]];
    if (from === 'paused') {
      rt.send({ type: 'pause' });
      events.push(['domain-paused', {}]);
    }
    return this.lifecycle.persist(vm, from, events);
  }

  /** What a domain built again from the file is made of: its saved build, its image by name. */
  private specOf(vm: VmRecord, loaded: LoadedVm): VmSpec {
    const s = loaded.header.spec;
    return {
      name: vm.name, domid: loaded.header.domid, memoryMiB: s.memoryMiB, vcpus: s.vcpus, image: this.lifecycle.images.mustGet(s.image),
      consoleBuffer: s.consoleBuffer, seed: s.seed, maxEventChannels: s.maxEventChannels, vmConfig: { ...s.vmConfig },
    };
  }

  private async refuseResume(vm: VmRecord, code: ErrorCode, message: string): Promise<never> {
    await this.lifecycle.persist(vm, 'suspended', [['domain-resume-failed', { reason: message }]]);
    throw new CellaError(code, message);
  }

  /** A suspend whose file could not be written: the VM goes on as it was. */
  /**
   * With CPU workers a vCPU of the group may be on a CPU: every vCPU of the group is paused, and the
   * capture waits until each is back at an instruction boundary (at most a CPU chunk, ~1 M
   * instructions), so the group is still captured at one instant.
   */
  private async stopOnCpus(rts: readonly VmRuntime[]): Promise<void> {
    const hv = this.monitor.hv;
    if (!hv.pool) return;
    for (const rt of rts) for (const ec of rt.instance!.ecs) hv.pause(ec);
    await hv.settled(rts.map((rt) => rt.instance!.pd));
  }

  /** Undoes `stopOnCpus` for the members that were running (the suspend is refused before its capture). */
  private restartOnCpus(rts: readonly VmRuntime[], from: readonly ('running' | 'paused')[]): void {
    const hv = this.monitor.hv;
    if (!hv.pool) return;
    rts.forEach((rt, i) => {
      if (from[i] === 'running') for (const ec of rt.instance!.ecs) hv.unpause(ec);
    });
  }

  private rollback(rt: VmRuntime, capture: SuspendCapture, from: 'running' | 'paused'): void {
    const instance = rt.instance!;
    const saved = { kernel: capture.kernel, ram: capture.ram.buffer as SharedArrayBuffer, pages: capture.pages, processes: (pid: number) => capture.processes.get(pid)! };
    this.monitor.resume(instance, saved, from === 'paused');
    rt.send({ type: 'suspend-failed', back: from });
  }

  private check(vm: VmRecord, rt: VmRuntime, command: 'suspend' | 'resume'): void {
    if (vm.uuid === DOM0_UUID) fail('INVALID_STATE', 'dom0 always runs; it cannot be suspended', { state: 'running' });
    const state = rt.state;
    if (!rt.can(command)) fail('INVALID_STATE', refusal(command, state), { state });
    if (command === 'suspend' && !rt.instance) fail('INVALID_STATE', refusal(command, 'halted'), { state: 'halted' });
    // its guest ended while this command waited for the lock: the VM is on its way to halted
    if (command === 'suspend' && rt.instance!.ended) fail('INVALID_STATE', 'Domain is stopping (its guest has ended)', { state: 'halting' });
    if (command === 'resume' && rt.snapshot === null) fail('INVALID_STATE', refusal(command, state), { state });
  }

  private async records(names: readonly string[]): Promise<VmRecord[]> {
    const vms = await this.cache.fresh();
    const unique = [...new Set(names)].sort();
    return unique.map((n) => mustFind(vms, n));
  }

  private row(id: string): Promise<SnapshotRow> {
    return this.index.get(id);
  }

  /** Runs `work` holding the locks of `vms` (taken in name order, so two groups cannot deadlock). */
  private async withLocks<T>(vms: readonly VmRecord[], work: (rts: VmRuntime[]) => Promise<T>): Promise<T> {
    const rts = vms.map((vm) => this.lifecycle.runtime(vm.uuid));
    const releases: (() => void)[] = [];
    try {
      for (const rt of rts) releases.push(await rt.lock.acquire());
      return await work(rts);
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  /** Progress events, about PROGRESS_STEPS per file (each one is a write to the event history). */
  private progress(id: string, vms: readonly VmRecord[], phase: 'write'): (done: number, total: number) => void {
    let next = 0;
    return (done, total) => {
      if (done < next && done < total) return;
      next = done + total / PROGRESS_STEPS;
      void this.tx
        .run(async ({ emit }) => emit('snapshot-progress', null, { snapshot: id, vms: vms.map((v) => v.name), phase, bytes_done: done, bytes_total: total }))
        // progress is advisory: a lost step is made good by the next one and by snapshot-created
        .catch(() => undefined);
    };
  }
}

function zip<A, B>(a: readonly A[], b: readonly B[]): [A, B][] {
  return a.map((x, i) => [x, b[i]]);
}

/** `<vm>-<UTC time>-<4 hex>`: sortable, readable, unique enough. */
function snapshotId(first: string): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${first}-${t}-${randomBytes(2).toString('hex')}`;
}
