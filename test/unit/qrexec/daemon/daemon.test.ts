import { describe, expect, it } from 'vitest';
import { QrexecDaemon } from '../../../../src/qrexec/daemon.js';
import { QrexecLink } from '../../../../src/qrexec/link.js';
import { MSG, VCHAN_BASE_PORT, type QrexecMessage } from '../../../../src/qrexec/protocol/index.js';
import { world } from '../vchan/support.js';

/** dom0's daemon connected to an agent end in domain 1 (driven by the test), pumping both until quiet. */
async function connected() {
  const w = world(1);
  const agentEnd = w.server(1, 0, VCHAN_BASE_PORT, 65536, 65536);
  const toAgent: QrexecMessage[] = [];
  const agent = new QrexecLink(agentEnd, 'daemon-to-agent', { onMessage: (m) => toAgent.push(m), onClosed: () => undefined });
  const listeners = new Map<number, () => void>();
  const triggers: string[] = [];
  const daemon = new QrexecDaemon(
    { vchan: w.host, slots: w.slots.get(0)!, listen: (port, fn) => (listeners.set(port, fn), () => listeners.delete(port)), timeoutMs: 1000 },
    1,
    'work',
    { trigger: (_d, req) => triggers.push(req.ident), terminated: () => undefined, closed: () => undefined },
  );
  const settle = async () => {
    for (let i = 0; i < 20; i++) {
      w.pump();
      agent.schedule();
      for (const fn of listeners.values()) fn();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const connecting = daemon.connect();
  await settle();
  await connecting;
  return { agent, toAgent, triggers, settle };
}

describe('qrexec-daemon', () => {
  it('answers a refused request with SERVICE_REFUSED carrying its ident byte for byte, bytes ≥ 0x80 included', async () => {
    const { agent, toAgent, triggers, settle } = await connected();
    const ident = 'SOCK\u00e9T\u00ff1';
    agent.send({ type: MSG.TRIGGER_SERVICE3, targetDomain: 'other', ident, serviceName: '+no-service' });
    agent.send({ type: MSG.TRIGGER_SERVICE3, targetDomain: 'other', ident: 'SOCKET2', serviceName: 'qubes.Good' });
    await settle();
    expect(toAgent).toEqual([{ type: MSG.SERVICE_REFUSED, ident }]);
    // the link goes on: the next, well-formed request reached the dispatcher
    expect(triggers).toEqual(['SOCKET2']);
  });
});
