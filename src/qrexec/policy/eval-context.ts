/** What one evaluation works with: the request's normalised parts, resolved against the system snapshot. */
import type { PolicyRequest } from './request.js';
import type { Subject } from './subject.js';
import type { SystemInfo } from './system-info.js';

export interface EvalContext {
  readonly request: PolicyRequest;
  readonly system: SystemInfo;
  /** Argument in qrexec form (`+`, `+value`). */
  readonly argument: string;
  /** The requested target after verification (`@default` for none or unknown). */
  readonly requestedTarget: string;
  readonly source: Subject;
  readonly target: Subject;
}
