/** struct exec_params { u32 connect_domain; u32 connect_port; char cmdline[]; }: where the data vchan is, then the command. */
import { readU32, writeU32 } from './msg-header.js';

export const EXEC_PARAMS_SIZE = 8;

export interface ExecParams { readonly connectDomain: number; readonly connectPort: number }

export const readExecParams = (b: Uint8Array, at = 0): ExecParams => ({ connectDomain: readU32(b, at), connectPort: readU32(b, at + 4) });

export function writeExecParams(b: Uint8Array, at: number, p: ExecParams): void {
  writeU32(b, at, p.connectDomain);
  writeU32(b, at + 4, p.connectPort);
}
