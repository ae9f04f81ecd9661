/** The policy model returns Results (src/result) with string messages instead of throwing. */
export { err, ok, type Result } from '../../result/result.js';
