/** Websockets to the manager, with the token as a subprotocol, reconnecting with backoff until stopped. */
import { get } from './api.js';
import { bearerProtocol, token } from './token.js';

export function openSocket(path: string): WebSocket {
  const url = new URL(path, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const secret = token.get();
  return new WebSocket(url, secret ? ['cella', bearerProtocol(secret)] : ['cella']);
}

export interface Live {
  stop(): void;
}

export interface LiveOptions {
  /** The path to (re)connect to; called on each attempt (a cursor may move on). */
  path: () => string;
  onMessage: (data: string) => void;
  onState?: (open: boolean) => void;
  /** Whether to connect again after the server closed it (a console whose VM stopped: no). */
  again?: (code: number) => boolean;
  /** false: one attempt only (the caller connects again when it has reason to). */
  retry?: boolean;
}

/** A websocket kept open: after a drop it reconnects (1 s, doubling to 30 s). A refused upgrade is checked over HTTP for a 401. */
export function keepOpen(options: LiveOptions): Live {
  let stopped = false;
  let delay = 1000;
  let socket: WebSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const connect = () => {
    let opened = false;
    socket = openSocket(options.path());
    socket.onopen = () => {
      opened = true;
      delay = 1000;
      options.onState?.(true);
    };
    socket.onmessage = (m: MessageEvent<string>) => options.onMessage(m.data);
    socket.onclose = (e) => {
      options.onState?.(false);
      if (stopped || options.retry === false || (opened && options.again && !options.again(e.code))) return;
      // a refused upgrade shows no status to a page: ask over HTTP, which raises the token prompt on a 401
      if (!opened) get('/api/v1/events?limit=1').catch((err: unknown) => console.info('cella: websocket refused:', err));
      timer = setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30_000);
    };
  };
  connect();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      socket?.close(1000, 'page left');
    },
  };
}
