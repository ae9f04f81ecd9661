/**
 * The Manager's contract: one typed command per thing a client can ask, and the result of each.
 * A handler map over `Command['type']` makes a missing handler a compile error.
 */
import type { CellaEvent } from './events/event-log.js';
import type { CreatableClass } from './config/vm-class.js';
import type { Label } from './config/label.js';
import type { PowerState } from './config/power-state.js';
import type { PropertyValue } from './config/properties.js';
import type { VmView } from './config/vm-view.js';
import type { ImageUpload } from './images/image-catalogue.js';
import type { VmStats } from './lifecycle/vm-stats.js';
import type { HostView } from './lifecycle/host-view.js';
import type { LsevtchnRow } from '../event-channels/lsevtchn.js';
import type { GrantDebugDomain } from '../grant-tables/grant-debug.js';
import type { Decision, PolicyRequest } from '../qrexec/policy/index.js';
import type { PolicyFileRow, PolicyVersionRow } from '../store/policy-repository.js';
import type { SnapshotRow } from '../store/snapshot-repository.js';
import type { OrphanFile, PruneResult } from './suspend/snapshot-index.js';
import type { Authorization } from './policy/admin-auth.js';
import type { TokenInfo } from './policy/api-tokens.js';
import type { AskAnswer, PendingAsk } from './policy/ask-broker.js';
import type { CallOutcome } from '../qrexec/data-call.js';
import type { Dom0CallRequest, StreamingIo } from './qrexec/qrexec-commands.js';

/** The results' row types, and what a route needs to build a command, for the layers above (which import nothing below vmm). */
export type { Decision, PolicyFileRow, PolicyVersionRow, SnapshotRow };
export { Pipe } from '../guest-kernel/pipe.js';
export { splitServiceName } from '../qrexec/policy/index.js';

/** What GET console returns: the kept tail of the guest's output. */
export interface ConsoleTail {
  data: Uint8Array;
  /** Bytes the guest ever wrote, and bytes dropped from the ring. */
  total: number;
  dropped: number;
}

export interface ImageInfo {
  name: string;
  kernel: string;
  programs: { name: string; bytes: number }[];
  services: Record<string, { builtin: string } | { program: string }>;
  builtin: boolean;
  users: string[];
}

/** What /metrics shows of each VM, cheap enough for every scrape (no scan of guest memory). */
export interface VmCounters {
  name: string;
  klass: string;
  state: PowerState;
  /** Instructions retired by its vCPUs, host seconds they ran, guest RAM: 0 without a domain. */
  instructions: number;
  hostCpuSeconds: number;
  memoryBytes: number;
}

export interface VmListFilter {
  klass?: string;
  label?: string;
  tag?: string;
  state?: PowerState;
}

export type Command =
  | { type: 'vm.list'; filter: VmListFilter; offset: number; limit: number; caller?: string }
  | { type: 'vm.get'; name: string }
  | { type: 'vm.create'; name: string; klass: CreatableClass; label: Label; template?: string; properties: Record<string, PropertyValue> }
  | { type: 'vm.update'; name: string; changes: Record<string, PropertyValue> }
  | { type: 'vm.delete'; name: string }
  | { type: 'vm.clone'; source: string; name: string; klass?: CreatableClass }
  | { type: 'vm.tag.list'; name: string }
  | { type: 'vm.tag.add'; name: string; tag: string }
  | { type: 'vm.tag.remove'; name: string; tag: string }
  | { type: 'vm.feature.list'; name: string }
  | { type: 'vm.feature.get'; name: string; feature: string }
  | { type: 'vm.feature.set'; name: string; feature: string; value: string }
  | { type: 'vm.feature.delete'; name: string; feature: string }
  | { type: 'vm.start'; name: string }
  | { type: 'vm.pause'; name: string }
  | { type: 'vm.unpause'; name: string }
  | { type: 'vm.shutdown'; name: string; wait: boolean; timeout?: number; force: boolean }
  | { type: 'vm.kill'; name: string }
  | { type: 'vm.console'; name: string; tail: number }
  | { type: 'vm.console.follow'; name: string; listener: (bytes: Uint8Array) => void }
  | { type: 'vm.stats'; name: string }
  | { type: 'host.counters'; caller?: string }
  | { type: 'host.view'; caller?: string }
  | { type: 'vm.evtchn'; name: string }
  | { type: 'vm.grants'; name: string }
  | { type: 'image.list' }
  | { type: 'image.get'; name: string }
  | { type: 'image.add'; upload: ImageUpload }
  | { type: 'image.delete'; name: string }
  | { type: 'policy.list' }
  | { type: 'policy.get'; name: string }
  | { type: 'policy.put'; name: string; content: string; ifMatch: string | null; ifNoneMatch: boolean; by: string }
  | { type: 'policy.delete'; name: string; ifMatch: string | null; by: string }
  | { type: 'policy.history'; name: string }
  | { type: 'policy.evaluate'; request: PolicyRequest }
  | { type: 'policy.check'; files: { name: string; content: string }[] }
  | { type: 'qrexec.asks' }
  | { type: 'qrexec.ask.answer'; id: string; answer: AskAnswer; by: string }
  | { type: 'token.create'; name: string; vm: string }
  | { type: 'token.list' }
  | { type: 'token.delete'; name: string }
  | { type: 'auth.token'; secret: string }
  | { type: 'auth.check'; caller: string; method: string; dest: string; argument: string }
  | { type: 'vm.qrexec'; request: Dom0CallRequest; stdin: Uint8Array }
  | { type: 'vm.qrexec.stream'; request: Dom0CallRequest; io: StreamingIo }
  | { type: 'vm.suspend'; name: string; file?: string }
  | { type: 'vm.resume'; name: string; snapshot?: string }
  | { type: 'snapshot.create'; names: string[]; file?: string }
  | { type: 'snapshot.list' }
  | { type: 'snapshot.get'; id: string }
  | { type: 'snapshot.delete'; id: string }
  | { type: 'snapshot.orphans' }
  | { type: 'snapshot.prune'; orphans: boolean }
  | { type: 'snapshot.resume'; id: string }
  | { type: 'events.history'; since: number; limit: number; caller?: string }
  | { type: 'events.last' };

export interface CommandResults {
  'vm.list': { items: VmView[]; total: number };
  'vm.get': VmView;
  'vm.create': VmView;
  'vm.update': VmView;
  'vm.delete': void;
  'vm.clone': VmView;
  'vm.tag.list': string[];
  'vm.tag.add': { added: boolean };
  'vm.tag.remove': void;
  'vm.feature.list': Record<string, string>;
  'vm.feature.get': string;
  'vm.feature.set': void;
  'vm.feature.delete': void;
  'vm.start': VmView;
  'vm.pause': VmView;
  'vm.unpause': VmView;
  'vm.shutdown': VmView;
  'vm.kill': VmView;
  'vm.console': ConsoleTail;
  'vm.console.follow': { tail: ConsoleTail; unfollow: () => void };
  'vm.stats': VmStats;
  'host.counters': VmCounters[];
  'host.view': HostView;
  'vm.evtchn': { domid: number; ports: LsevtchnRow[] };
  'vm.grants': GrantDebugDomain & { zombies: GrantDebugDomain[] };
  'image.list': ImageInfo[];
  'image.get': ImageInfo;
  'image.add': ImageInfo;
  'image.delete': void;
  'policy.list': PolicyFileRow[];
  'policy.get': PolicyFileRow;
  'policy.put': PolicyFileRow;
  'policy.delete': void;
  'policy.history': PolicyVersionRow[];
  'policy.evaluate': Decision;
  'policy.check': string[];
  'qrexec.asks': PendingAsk[];
  'qrexec.ask.answer': Decision;
  'token.create': { token: string; info: TokenInfo };
  'token.list': TokenInfo[];
  'token.delete': void;
  'auth.token': string | null;
  'auth.check': Authorization;
  'vm.qrexec': { outcome: CallOutcome; stdout: Uint8Array; stderr: Uint8Array };
  'vm.qrexec.stream': CallOutcome;
  'vm.suspend': { vm: VmView; snapshot: SnapshotRow };
  'vm.resume': VmView;
  'snapshot.create': SnapshotRow;
  'snapshot.list': SnapshotRow[];
  'snapshot.get': SnapshotRow;
  'snapshot.delete': void;
  'snapshot.orphans': OrphanFile[];
  'snapshot.prune': PruneResult;
  'snapshot.resume': VmView[];
  'events.history': { events: CellaEvent[]; lastId: number };
  'events.last': number;
}

export type CommandType = Command['type'];
export type CommandOf<K extends CommandType> = Extract<Command, { type: K }>;
export type CommandHandlers = { [K in CommandType]: (command: CommandOf<K>) => Promise<CommandResults[K]> };
