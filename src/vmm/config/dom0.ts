/** dom0: the AdminVM, qid 0, always present, never removed or renamed. */
export const DOM0_NAME = 'dom0';
export const DOM0_UUID = '00000000-0000-0000-0000-000000000000';
export const DOM0_QID = 0;
