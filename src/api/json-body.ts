/**
 * The JSON body parser: the body must be valid UTF-8 (a bad byte is refused, not replaced)
 * and valid JSON, parsed with Fastify's prototype-poisoning protection. JSON is the only body
 * type taken: anything else is 415.
 */
import type { FastifyInstance } from 'fastify';
import { CellaError } from '../vmm/errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function registerJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(new CellaError('MALFORMED_REQUEST', 'request body is not valid UTF-8'), undefined);
      return;
    }
    if (text.trim() === '') {
      done(new CellaError('MALFORMED_REQUEST', 'request body is empty; send a JSON document'), undefined);
      return;
    }
    parseJson(request, text, (err, value) => {
      if (err) done(new CellaError('MALFORMED_REQUEST', `request body is not valid JSON: ${err.message}`), undefined);
      else done(null, value);
    });
  });
}
