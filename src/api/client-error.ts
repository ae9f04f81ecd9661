/** Requests Node's HTTP parser refuses before Fastify sees them (headers too large, bad syntax, timeouts) get problem+json too. */
import type { Socket } from 'node:net';
import { problemOf } from './problem.js';
import { PROBLEM_CONTENT_TYPE } from './schemas/problem.js';
import type { ErrorCode } from '../vmm/errors.js';

function codeOf(err: NodeJS.ErrnoException): { code: ErrorCode; detail: string } {
  if (err.code === 'HPE_HEADER_OVERFLOW') return { code: 'HEADERS_TOO_LARGE', detail: 'the request line and headers are larger than 16 KiB' };
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { code: 'REQUEST_TIMEOUT', detail: 'the request did not arrive in time' };
  return { code: 'MALFORMED_REQUEST', detail: 'the request is not valid HTTP/1.1' };
}

/** Fastify's clientErrorHandler: answer once, in our error format, and close the connection. */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const { code, detail } = codeOf(err);
  const problem = problemOf(code, detail);
  const body = JSON.stringify(problem);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${problem.status} ${problem.title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
