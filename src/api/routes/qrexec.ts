/** /api/v1/vms/{name}/qrexec: a qrexec call by dom0 (trusted, as qrexec-client in Qubes' dom0), whole or streamed. */
import type { WebSocket } from 'ws';
import type { Manager } from '../../vmm/manager.js';
import { Pipe } from '../../vmm/commands.js';
import { problems } from '../schemas/problem.js';
import { QrexecCall, QrexecResult, QrexecStreamQuery } from '../schemas/qrexec.js';
import { VmNameParam } from '../schemas/vm.js';
import type { ZodApp } from './types.js';

/** Larger than the rest of the API: stdin of up to 16 MiB travels base64 in the body. */
export const QREXEC_BODY_LIMIT = 24 * 1024 * 1024;

function target(service: string | undefined, argument: string | undefined): { service: string | null; argument: string } {
  if (service === undefined) return { service: null, argument: '' };
  const plus = service.indexOf('+');
  const name = plus < 0 ? service : service.slice(0, plus);
  const arg = argument ?? (plus < 0 ? '' : service.slice(plus + 1));
  return { service: name, argument: arg === '' ? '' : arg.startsWith('+') ? arg : `+${arg}` };
}

export function qrexecRoutes(app: ZodApp, manager: Manager): void {
  app.route({
    method: 'POST',
    url: '/api/v1/vms/:name/qrexec',
    bodyLimit: QREXEC_BODY_LIMIT,
    schema: {
      operationId: 'qrexecCall',
      tags: ['qrexec'],
      summary: 'Call a qrexec service (or run a command line) in a VM as dom0, with stdin given and stdout/stderr returned',
      description:
        'dom0 is trusted: no policy applies (qrexec-client in Qubes dom0). A websocket on GET of the same path streams ' +
        'instead: query service/argument/command/autostart; binary frames from the client are stdin, a text frame "EOF" ends it; ' +
        'the server sends binary frames whose first byte is 1 (stdout) or 2 (stderr), then a text frame {"exit_code":N,"error":…}.',
      params: VmNameParam,
      body: QrexecCall,
      response: { 200: QrexecResult, ...problems(400, 401, 404, 409, 413, 415) },
    },
    handler: async (req) => {
      const { service, argument } = target(req.body.service, req.body.argument);
      const r = await manager.execute({
        type: 'vm.qrexec',
        request: { name: req.params.name, service, argument, command: req.body.command ?? null, autostart: req.body.autostart },
        stdin: new Uint8Array(Buffer.from(req.body.stdin, 'base64')),
      });
      return {
        exit_code: r.outcome.exitCode,
        stdout: Buffer.from(r.stdout).toString('base64'),
        stderr: Buffer.from(r.stderr).toString('base64'),
        bytes_in: r.outcome.bytesIn,
        bytes_out: r.outcome.bytesOut,
        error: r.outcome.error,
      };
    },
  });

  app.route({
    method: 'GET',
    url: '/api/v1/vms/:name/qrexec',
    schema: { hide: true, params: VmNameParam, querystring: QrexecStreamQuery },
    handler: async (_req, reply) => reply.code(426).header('upgrade', 'websocket').send({ detail: 'upgrade to a websocket' }),
    wsHandler: (socket, req) => streamCall(socket, manager, (req.params as { name: string }).name, req.query as { service?: string; argument?: string; command?: string; autostart: string }),
  });
}

/** Bytes of stdin a streamed call holds beyond its pipe before the socket stops reading (TCP pushes back). */
const STDIN_HIGH_WATER = 1024 * 1024;

function streamCall(socket: WebSocket, manager: Manager, name: string, q: { service?: string; argument?: string; command?: string; autostart: string }): void {
  const io = { stdin: new Pipe(), stdout: new Pipe(), stderr: new Pipe() };
  const held: Uint8Array[] = [];
  let heldBytes = 0;
  let eof = false;
  const feed = () => {
    while (held.length > 0) {
      const n = io.stdin.writer.write(held[0]);
      if (n === 'would-block') break;
      if (typeof n !== 'number') {
        // the service closed its stdin: what is left has nowhere to go
        held.length = 0;
        heldBytes = 0;
        break;
      }
      heldBytes -= n;
      if (n === held[0].length) held.shift();
      else held[0] = held[0].subarray(n);
    }
    if (heldBytes < STDIN_HIGH_WATER && socket.isPaused) socket.resume();
    if (eof && held.length === 0 && !io.stdin.writerClosed) io.stdin.writer.close();
  };
  io.stdin.watch(feed);
  socket.on('message', (data, isBinary) => {
    if (!isBinary && String(data) === 'EOF') eof = true;
    else if (!eof) {
      const bytes = new Uint8Array(data as Buffer);
      held.push(bytes);
      heldBytes += bytes.length;
      if (heldBytes >= STDIN_HIGH_WATER) socket.pause();
    }
    feed();
  });
  socket.on('close', () => {
    eof = true;
    feed();
  });
  const forward = (pipe: Pipe, tag: number) => {
    const pump = () => {
      for (;;) {
        const got = pipe.reader.read(64 * 1024);
        if (!(got instanceof Uint8Array)) return;
        const frame = Buffer.alloc(got.length + 1);
        frame[0] = tag;
        frame.set(got, 1);
        if (socket.readyState === socket.OPEN) socket.send(frame);
      }
    };
    pipe.watch(pump);
  };
  forward(io.stdout, 1);
  forward(io.stderr, 2);
  const { service, argument } = target(q.service, q.argument);
  manager
    .execute({ type: 'vm.qrexec.stream', request: { name, service, argument, command: q.command ?? null, autostart: q.autostart === 'true' }, io })
    .then((outcome) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ exit_code: outcome.exitCode, error: outcome.error }));
      socket.close(1000);
    })
    .catch((err: Error) => socket.close(1011, err.message.slice(0, 120)));
}
