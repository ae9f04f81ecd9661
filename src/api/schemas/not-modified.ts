/** The 304 answer of a cached GET page (src/api/page-cache.ts): no body. */
import { z } from 'zod';

export const NotModified = z.undefined().describe('Not modified: the ETag sent in If-None-Match is still current');
