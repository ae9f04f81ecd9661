/** A decoded qrexec message: the header's type with its payload struct as fields (strings one char per byte). */
import { MSG } from './msg-type.js';

export interface HelloMessage { readonly type: typeof MSG.HELLO; readonly version: number }

/** Stdin, stdout or stderr bytes; an empty one is that stream's EOF. */
export interface DataMessage {
  readonly type: typeof MSG.DATA_STDIN | typeof MSG.DATA_STDOUT | typeof MSG.DATA_STDERR;
  readonly data: Uint8Array;
}

/** The service's exit status; it ends the call. */
export interface ExitCodeMessage { readonly type: typeof MSG.DATA_EXIT_CODE; readonly status: number }

/**
 * exec_params and a command line ("user:command"). A null command line is exec_params alone: the
 * daemon's answer to qrexec-client with the data port it allocated.
 */
export interface ExecMessage {
  readonly type: typeof MSG.EXEC_CMDLINE | typeof MSG.JUST_EXEC;
  readonly connectDomain: number;
  readonly connectPort: number;
  readonly cmdline: string | null;
}

/** exec_params whose command field is the request ident ("start a vchan server for this request"); null as above. */
export interface ServiceConnectMessage {
  readonly type: typeof MSG.SERVICE_CONNECT;
  readonly connectDomain: number;
  readonly connectPort: number;
  readonly ident: string | null;
}

export interface ServiceRefusedMessage { readonly type: typeof MSG.SERVICE_REFUSED; readonly ident: string }

/** Protocol 2's fixed-size trigger (service name at most 63 bytes, target 31). */
export interface TriggerServiceMessage {
  readonly type: typeof MSG.TRIGGER_SERVICE;
  readonly serviceName: string;
  readonly targetDomain: string;
  readonly ident: string;
}

export interface TriggerService3Message {
  readonly type: typeof MSG.TRIGGER_SERVICE3;
  readonly targetDomain: string;
  readonly ident: string;
  readonly serviceName: string;
}

export interface TriggerService4Message {
  readonly type: typeof MSG.TRIGGER_SERVICE4;
  readonly sourceDomain: string;
  readonly targetDomain: string;
  readonly ident: string;
  readonly serviceName: string;
}

export interface ConnectionTerminatedMessage {
  readonly type: typeof MSG.CONNECTION_TERMINATED;
  readonly connectDomain: number;
  readonly connectPort: number;
}

export type QrexecMessage =
  | HelloMessage | DataMessage | ExitCodeMessage | ExecMessage | ServiceConnectMessage | ServiceRefusedMessage
  | TriggerServiceMessage | TriggerService3Message | TriggerService4Message | ConnectionTerminatedMessage;
