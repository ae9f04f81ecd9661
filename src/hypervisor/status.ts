/** NOVA hypercall status codes (classic spec), the results of every kernel operation. */
export const Status = {
  SUCCESS: 0,
  TIMEOUT: 1,
  ABORTED: 2,
  BAD_HYP: 3,
  BAD_CAP: 4,
  BAD_PAR: 5,
  BAD_FTR: 6,
  BAD_CPU: 7,
  BAD_DEV: 8,
} as const;

export type StatusName = keyof typeof Status;
export type StatusCode = (typeof Status)[StatusName];

export const statusName = (code: StatusCode): StatusName =>
  (Object.keys(Status) as StatusName[]).find((k) => Status[k] === code) ?? 'BAD_HYP';
