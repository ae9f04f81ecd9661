/** The labels a VM can carry: Qubes' default set, with their index and colour. */
export const LABELS = {
  red: { index: 1, color: '0xcc0000' },
  orange: { index: 2, color: '0xf57900' },
  yellow: { index: 3, color: '0xedd400' },
  green: { index: 4, color: '0x73d216' },
  gray: { index: 5, color: '0x555753' },
  blue: { index: 6, color: '0x3465a4' },
  purple: { index: 7, color: '0x75507b' },
  black: { index: 8, color: '0x000000' },
} as const;

export type Label = keyof typeof LABELS;
export const LABEL_NAMES = Object.keys(LABELS) as [Label, ...Label[]];
