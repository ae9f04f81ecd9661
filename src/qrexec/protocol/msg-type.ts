/** qrexec message types (the `type` of struct msg_header): data, control and handshake messages. */

export const MSG = {
  DATA_STDIN: 0x190,
  DATA_STDOUT: 0x191,
  DATA_STDERR: 0x192,
  DATA_EXIT_CODE: 0x193,
  EXEC_CMDLINE: 0x200,
  JUST_EXEC: 0x201,
  SERVICE_CONNECT: 0x202,
  SERVICE_REFUSED: 0x203,
  TRIGGER_SERVICE: 0x210,
  CONNECTION_TERMINATED: 0x211,
  TRIGGER_SERVICE3: 0x212,
  TRIGGER_SERVICE4: 0x213,
  HELLO: 0x300,
} as const;

export type MsgTypeName = keyof typeof MSG;
export type MsgType = (typeof MSG)[MsgTypeName];

const NAMES = new Map<number, MsgTypeName>((Object.keys(MSG) as MsgTypeName[]).map((n) => [MSG[n], n]));

/** 'MSG_HELLO' for 0x300; `0x<hex>` for a number that is no message type. */
export function msgTypeName(type: number): string {
  const n = NAMES.get(type);
  return n === undefined ? `0x${(type >>> 0).toString(16)}` : `MSG_${n}`;
}
