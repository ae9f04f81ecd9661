/**
 * What the manager knows of one VM while it has (or had) a domain: its lifecycle machine, its lock,
 * the running instance, the snapshot it is suspended into and the console of its last run. Every
 * change goes through a method named after what happened (started, suspended, resumed, ended), so
 * that the lifecycle and suspend/resume read one record and neither writes it behind the other's back.
 */
import { Mutex } from 'async-mutex';
import { createActor, type Actor, type EventFrom } from 'xstate';
import type { ConsoleRing } from '../../guest-kernel/console-ring.js';
import type { GuestEnd, VmInstance } from '../../guest-kernel/vm-instance.js';
import type { PowerState } from '../config/power-state.js';
import { vmMachine, type VmCommand } from './vm-machine.js';

export class VmRuntime {
  readonly lock = new Mutex();
  private readonly actor: Actor<typeof vmMachine>;
  #instance: VmInstance | null = null;
  #snapshot: string | null = null;
  #coldDomid: number | null = null;
  #lastEnd: GuestEnd | null = null;
  #lastConsole: ConsoleRing | null = null;
  #killTimer: NodeJS.Timeout | null = null;
  #ended: Promise<void> = Promise.resolve();
  #resolveEnded: () => void = () => undefined;

  /** A halted VM, or (after a manager restart) one suspended into a file only: its domid kept for its resume. */
  constructor(cold?: { snapshot: string; domid: number }) {
    this.actor = cold ? createActor(vmMachine, { snapshot: vmMachine.resolveState({ value: 'suspended' }) }) : createActor(vmMachine);
    this.actor.start();
    if (cold) {
      this.#snapshot = cold.snapshot;
      this.#coldDomid = cold.domid;
    }
  }

  /** The running domain, or null. */
  get instance(): VmInstance | null {
    return this.#instance;
  }

  /** While suspended: the snapshot it is suspended into (its domain waits in the VM monitor, or only in the file). */
  get snapshot(): string | null {
    return this.#snapshot;
  }

  /** Suspended by an earlier run of the manager: the domid its file holds; its domain is only in the file. */
  get coldDomid(): number | null {
    return this.#coldDomid;
  }

  get lastEnd(): GuestEnd | null {
    return this.#lastEnd;
  }

  /** The console of the running VM, or of its last run (qvm-console shows how it ended). */
  get console(): ConsoleRing | null {
    return this.#instance?.console ?? this.#lastConsole;
  }

  /** Resolved when the running instance has ended (guest exit, crash or kill). */
  get ended(): Promise<void> {
    return this.#ended;
  }

  get state(): PowerState {
    return this.actor.getSnapshot().value as PowerState;
  }

  can(command: VmCommand): boolean {
    return this.actor.getSnapshot().can({ type: command });
  }

  /** A step of the lifecycle machine (the machine refuses what it does not allow). */
  send(event: EventFrom<typeof vmMachine>): void {
    this.actor.send(event);
  }

  /** A domain built for the VM (started, or resumed from a file after a restart) is its running instance. */
  running(instance: VmInstance): void {
    this.#instance = instance;
    this.#lastEnd = null;
    this.#ended = new Promise((resolve) => (this.#resolveEnded = resolve));
  }

  /** Its domain is in the snapshot `id` now (and waits in the VM monitor). */
  suspendedInto(id: string): void {
    this.#snapshot = id;
  }

  /** Its domain is built again from its file (after a manager restart): the domid it had is its own again, not a reservation. */
  rebuilt(): void {
    this.#coldDomid = null;
  }

  /** Back from its snapshot: the domain runs again (a cold resume's domid is no longer reserved by it). */
  resumed(): void {
    this.#snapshot = null;
    this.#coldDomid = null;
  }

  /** A shutdown asked of the guest: killed by `timer` unless it ends first. */
  killAfter(timer: NodeJS.Timeout): void {
    this.#killTimer = timer;
  }

  /**
   * The domain is gone: returns what the caller tears down (the instance and a domid still reserved
   * for a cold resume); the console and the end are kept for qvm-console and stats.
   */
  end(end: GuestEnd): { instance: VmInstance | null; coldDomid: number | null } {
    const gone = { instance: this.#instance, coldDomid: this.#coldDomid };
    if (this.#killTimer) clearTimeout(this.#killTimer);
    this.#killTimer = null;
    this.#lastConsole = this.#instance?.console ?? this.#lastConsole;
    this.#instance = null;
    this.#snapshot = null;
    this.#coldDomid = null;
    this.#lastEnd = end;
    return gone;
  }

  /** Wakes whoever waits for the end (a shutdown with wait) once it is recorded. */
  endRecorded(): void {
    this.#resolveEnded();
  }

  /** The VM is removed. */
  stop(): void {
    this.actor.stop();
  }
}
