/**
 * The microhypervisor: protection domains, their kernel objects reached through capability
 * selectors (create, delegate, revoke, lookup, *_ctrl with NOVA's status codes), the scheduler,
 * and the delivery of vCPU exits through portals.
 */
import type { GuestMemory } from '../vcpu/guest-memory.js';
import type { Vcpu } from '../vcpu/vcpu.js';
import type { VcpuExit } from '../vcpu/vcpu-exit.js';
import { ALL_PERMS, EcPerm, PdPerm, PtPerm, ScPerm, SmPerm, type KernelObject } from './capability.js';
import { Ec } from './ec.js';
import { exitVector } from './exit-vector.js';
import { Pd } from './pd.js';
import { Pt, type ExitAction, type PortalHandler } from './pt.js';
import { MAX_PRIORITY, Sc } from './sc.js';
import { Scheduler } from './scheduler.js';
import { CpuPool } from './cpu-pool.js';
import { placeVcpu } from './cpu-set.js';
import { Sm } from './sm.js';
import { Status, type StatusCode } from './status.js';
import { MAX_DOMID } from './domid.js';

/** The root PD's own capability sits at selector 0 with every permission. */
export const ROOT_PD_SEL = 0;
export { MAX_DOMID } from './domid.js';

/** Why a domain's vCPU could not go on: no portal for its exit (NOVA kills the EC). */
export type UnhandledExit = (ec: Ec, exit: VcpuExit, vector: number) => void;

/** The CPU worker of these domains died: they cannot go on (the VMM ends them as crashed). */
export type CpuLost = (cpu: number, domains: readonly Pd[], reason: string) => void;

export interface HypervisorOptions {
  /** CPU workers to run vCPUs on; 0 runs them on the event loop (`cella run-elf`, unit tests). */
  readonly cpus?: number;
}

export class Hypervisor {
  readonly root: Pd;
  readonly scheduler: Scheduler;
  private readonly pds = new Map<number, Pd>();
  private nextObjectId = 1;
  /** Called when an exit finds no portal: the VMM ends the domain as crashed. */
  onUnhandledExit: UnhandledExit = () => undefined;
  /** Called when a CPU worker died with domains on it. */
  onCpuLost: CpuLost = () => undefined;
  /** The CPU workers, or null when vCPUs run on the event loop. */
  readonly pool: CpuPool | null;

  /** `dom0Memory`: RAM for dom0's host code to share with guests (its vchan rings and grant table). */
  constructor(dom0Memory: GuestMemory | null = null, options: HypervisorOptions = {}) {
    this.root = new Pd(0, 'dom0', dom0Memory);
    this.pds.set(0, this.root);
    this.root.caps.install(ROOT_PD_SEL, this.root, ALL_PERMS);
    const cpus = options.cpus ?? 0;
    this.pool = cpus > 0
      ? new CpuPool(cpus, {
          exited: (cpu, ec, exit, ms) => this.scheduler.exited(cpu, ec, exit, ms),
          lost: (cpu, ec, reason) => this.cpuLost(cpu, ec, reason),
        })
      : null;
    this.scheduler = new Scheduler((ec, exit) => this.deliverExit(ec, exit), this.pool);
  }

  /** Host CPUs vCPUs run on (1 without workers: the event loop). */
  get cpus(): number {
    return this.scheduler.cpus;
  }

  /** Domains bound to each CPU (dom0 runs no vCPU). */
  cpuLoad(): number[] {
    const load = new Array<number>(this.cpus).fill(0);
    for (const pd of this.pds.values()) if (pd !== this.root) load[pd.cpu]++;
    return load;
  }

  /** Binds `pd` to the least loaded CPU of `allowed` (null: any), while none of its vCPUs is on a CPU. */
  place(pd: Pd, allowed: readonly number[] | null): void {
    const scs = pd.ecs.flatMap((ec) => (ec.sc ? [ec.sc] : []));
    if (scs.some((sc) => sc.onCpu)) throw new Error(`domain ${pd.id} has a vCPU on a CPU: it cannot move`);
    const load = this.cpuLoad();
    load[pd.cpu]--;
    const cpu = placeVcpu(load, allowed);
    if (cpu === pd.cpu) return;
    // ready SCs move to the new CPU's list, in their order
    const queued = scs.filter((sc) => sc.queued);
    for (const sc of queued) this.scheduler.dequeue(sc);
    pd.cpu = cpu;
    for (const sc of queued) this.scheduler.enqueue(sc);
    this.pool?.warm(cpu);
  }

  /** The domains on a CPU whose worker died end; the next ones go to its replacement or another CPU. */
  private cpuLost(cpu: number, ec: Ec | null, reason: string): void {
    this.scheduler.lost(ec);
    const domains = [...this.pds.values()].filter((pd) => pd !== this.root && pd.cpu === cpu && pd.alive);
    this.onCpuLost(cpu, domains, `the CPU ${cpu} worker died: ${reason}`);
  }

  /** Waits until no vCPU of `pds` is on a CPU: each stopped at an instruction boundary, its state here. */
  settled(pds: readonly Pd[]): Promise<void> {
    return this.scheduler.settled(pds.flatMap((pd) => pd.ecs));
  }

  /** An EC of a live domain is gone (a process ended): the CPUs drop their copy of its vCPU. */
  forgetEc(ec: Ec): void {
    if (!this.pool || !ec.vcpu) return;
    const shared = ec.pd.ecs.some((other) => other !== ec && other.vcpu?.space === ec.vcpu!.space);
    this.pool.forget([ec.id], shared ? [] : [ec.vcpu.space.id], ec.vcpu.memory === ec.pd.memory ? [] : [ec.vcpu.memory.id]);
  }

  domain(domid: number): Pd | undefined {
    return this.pds.get(domid);
  }

  domains(): Pd[] {
    return [...this.pds.values()];
  }

  /** The lowest free domid above 0, or null when none is left. */
  freeDomid(): number | null {
    for (let id = 1; id <= MAX_DOMID; id++) if (!this.pds.has(id)) return id;
    return null;
  }

  // ---- object creation (the new selector must hold the null cap) ----

  createPd(caller: Pd, sel: number, ownerSel: number, domid: number, name: string, memory: GuestMemory): StatusCode {
    if (!this.freeSelector(caller, sel) || !caller.caps.lookup(ownerSel, 'pd', PdPerm.PD)) return Status.BAD_CAP;
    if (this.pds.has(domid) || domid <= 0 || domid > MAX_DOMID) return Status.BAD_PAR;
    const pd = new Pd(domid, name, memory);
    pd.cpu = placeVcpu(this.cpuLoad(), null);
    this.pool?.warm(pd.cpu);
    this.pds.set(domid, pd);
    caller.caps.install(sel, pd, ALL_PERMS);
    return Status.SUCCESS;
  }

  /** A vCPU EC (with `vcpu`) or a local thread (without) in the PD at `pdSel`. */
  createEc(caller: Pd, sel: number, pdSel: number, vcpu: Vcpu | null, evtBase: number): StatusCode {
    const pd = caller.caps.lookup<Pd>(pdSel, 'pd', PdPerm.EC);
    if (!this.freeSelector(caller, sel) || !pd) return Status.BAD_CAP;
    if (pd.dying) return Status.ABORTED;
    const ec = new Ec(this.newId(), pd, vcpu, evtBase);
    pd.ecs.push(ec);
    caller.caps.install(sel, ec, ALL_PERMS);
    return Status.SUCCESS;
  }

  createSc(caller: Pd, sel: number, ecSel: number, priority: number, quantum: number): StatusCode {
    const ec = caller.caps.lookup<Ec>(ecSel, 'ec', EcPerm.SC);
    if (!this.freeSelector(caller, sel) || !ec || ec.vcpu === null || ec.sc !== null) return Status.BAD_CAP;
    if (!Number.isInteger(priority) || priority < 1 || priority > MAX_PRIORITY || !Number.isInteger(quantum) || quantum < 1) {
      return Status.BAD_PAR;
    }
    ec.sc = new Sc(this.newId(), ec, priority, quantum);
    caller.caps.install(sel, ec.sc, ALL_PERMS);
    return Status.SUCCESS;
  }

  createPt(caller: Pd, sel: number, ecSel: number, handler: PortalHandler, mtd = 0): StatusCode {
    const ec = caller.caps.lookup<Ec>(ecSel, 'ec', EcPerm.PT);
    if (!this.freeSelector(caller, sel) || !ec || ec.vcpu !== null) return Status.BAD_CAP;
    caller.caps.install(sel, new Pt(this.newId(), ec, handler, mtd), ALL_PERMS);
    return Status.SUCCESS;
  }

  createSm(caller: Pd, sel: number, counter: number): StatusCode {
    if (!this.freeSelector(caller, sel)) return Status.BAD_CAP;
    if (!Number.isInteger(counter) || counter < 0) return Status.BAD_PAR;
    caller.caps.install(sel, new Sm(this.newId(), counter), ALL_PERMS);
    return Status.SUCCESS;
  }

  // ---- capability transfer ----

  /** Delegates the cap at `srcSel` of `src` to `dstSel` of `dst` with permissions ∧ `mask`. */
  delegate(src: Pd, srcSel: number, dst: Pd, dstSel: number, mask: number): StatusCode {
    const node = src.caps.node(srcSel);
    if (!node || !this.freeSelector(dst, dstSel)) return Status.BAD_CAP;
    if ((node.perms & mask) === 0) return Status.BAD_PAR;
    dst.caps.put(dstSel, node.derive(dst.caps, dstSel, mask));
    return Status.SUCCESS;
  }

  /** Removes `mask` from every capability derived from `sel` (and from `sel` itself with `self`). Never fails. */
  revoke(pd: Pd, sel: number, mask: number, self: boolean): StatusCode {
    pd.caps.node(sel)?.revoke(mask, self);
    return Status.SUCCESS;
  }

  /** What `sel` holds: object type and permissions, or null for the null cap. */
  lookup(pd: Pd, sel: number): { type: KernelObject['type']; perms: number } | null {
    const node = pd.caps.node(sel);
    return node ? { type: node.object.type, perms: node.perms } : null;
  }

  // ---- control ----

  /** Pends a recall: the vCPU leaves at its next boundary through the RECALL portal. */
  ecCtrl(pd: Pd, sel: number): StatusCode {
    const ec = pd.caps.lookup<Ec>(sel, 'ec', EcPerm.CT);
    if (!ec) return Status.BAD_CAP;
    ec.recall = true;
    return Status.SUCCESS;
  }

  /** Instructions consumed on the SC. */
  scCtrl(pd: Pd, sel: number): { status: StatusCode; consumed: number } {
    const sc = pd.caps.lookup<Sc>(sel, 'sc', ScPerm.CT);
    return sc ? { status: Status.SUCCESS, consumed: sc.consumed } : { status: Status.BAD_CAP, consumed: 0 };
  }

  ptCtrl(pd: Pd, sel: number, pid: number): StatusCode {
    const pt = pd.caps.lookup<Pt>(sel, 'pt', PtPerm.CT);
    if (!pt) return Status.BAD_CAP;
    pt.pid = pid;
    return Status.SUCCESS;
  }

  /** Semaphore up, or down for `ec` (which blocks when the count is zero). */
  smCtrl(pd: Pd, sel: number, op: 'up' | 'down', ec?: Ec, zero = false): StatusCode {
    const sm = pd.caps.lookup<Sm>(sel, 'sm', op === 'up' ? SmPerm.UP : SmPerm.DN);
    if (!sm) return Status.BAD_CAP;
    if (op === 'up') {
      const released = sm.up();
      if (released) this.wake(released);
      return Status.SUCCESS;
    }
    if (!ec) return Status.BAD_PAR;
    if (!sm.down(ec, zero)) this.block(ec);
    return Status.SUCCESS;
  }

  // ---- running ----

  /** Makes a stopped vCPU EC runnable (it needs an SC). */
  startEc(ec: Ec): boolean {
    if (!ec.sc || !ec.send({ type: 'start' })) return false;
    this.scheduler.enqueue(ec.sc);
    return true;
  }

  /** Takes a runnable or running EC off the CPU until woken. */
  block(ec: Ec): void {
    if (ec.sc) this.scheduler.dequeue(ec.sc);
    ec.send({ type: 'block' });
  }

  /** Makes a blocked EC runnable again (a paused one remembers the wake-up). */
  wake(ec: Ec): void {
    if (ec.send({ type: 'wake' }) && ec.state === 'runnable' && ec.sc) this.scheduler.enqueue(ec.sc);
  }

  pause(ec: Ec): void {
    if (ec.sc) this.scheduler.dequeue(ec.sc);
    ec.send({ type: 'pause' });
  }

  unpause(ec: Ec): void {
    if (ec.send({ type: 'unpause' }) && ec.state === 'runnable' && ec.sc) this.scheduler.enqueue(ec.sc);
  }

  /** Ends a domain: its ECs stop, its objects die (capabilities to them become null), its domid is free. */
  destroyPd(pd: Pd): void {
    if (pd === this.root) return;
    pd.dying = true;
    for (const ec of pd.ecs) {
      if (ec.sc) {
        this.scheduler.dequeue(ec.sc);
        ec.sc.alive = false;
      }
      ec.send({ type: 'stop' });
      ec.alive = false;
    }
    pd.alive = false;
    this.pds.delete(pd.id);
    if (this.pool) {
      const vcpus = pd.ecs.flatMap((ec) => (ec.vcpu ? [ec.vcpu] : []));
      const memories = new Set(vcpus.map((v) => v.memory.id));
      if (pd.memory) memories.add(pd.memory.id);
      this.pool.forget(pd.ecs.map((ec) => ec.id), [...new Set(vcpus.map((v) => v.space.id))], [...memories]);
    }
  }

  /** Stops the CPU workers (the manager is closing). */
  async close(): Promise<void> {
    this.scheduler.stop();
    await this.pool?.close();
  }

  /** Delivers `exit` of `ec` to the portal at its event selector; no portal → the EC is shut down. */
  private deliverExit(ec: Ec, exit: VcpuExit): ExitAction {
    const vector = ec.recall ? 0xff : exitVector(exit);
    ec.recall = false;
    const pt = ec.pd.caps.lookup<Pt>(ec.evtBase + vector, 'pt', PtPerm.CALL);
    if (!pt || !pt.ec.alive) {
      this.onUnhandledExit(ec, exit, vector);
      return 'stop';
    }
    return pt.handler(ec, exit, pt.pid);
  }

  private freeSelector(pd: Pd, sel: number): boolean {
    return pd.caps.valid(sel) && pd.caps.isNull(sel);
  }

  private newId(): number {
    return this.nextObjectId++;
  }
}
