/** One log line per event that matters to an operator: lifecycle, suspend and resume, crashes, policy refusals. */
import type { Logger } from 'pino';
import type { CellaEvent, EventLog } from './event-log.js';

type Level = 'debug' | 'info' | 'warn';

/** How an event is logged: level and message, or null to leave it to debug. */
function lineOf(e: CellaEvent): { level: Level; msg: string } | null {
  const p = e.payload;
  switch (e.event) {
    case 'domain-add': return { level: 'info', msg: 'VM created' };
    case 'domain-delete': return { level: 'info', msg: 'VM removed' };
    case 'domain-start': return { level: 'info', msg: 'VM started' };
    case 'domain-start-failed': return { level: 'warn', msg: 'VM start failed' };
    case 'domain-paused': return { level: 'info', msg: 'VM paused' };
    case 'domain-unpaused': return { level: 'info', msg: 'VM unpaused' };
    case 'domain-pre-shutdown': return { level: 'info', msg: 'VM asked to shut down' };
    case 'domain-shutdown':
      if (p.reason === 'crashed') return { level: 'warn', msg: 'VM crashed' };
      return { level: 'info', msg: p.reason === 'killed' ? 'VM killed' : 'VM halted' };
    case 'domain-pre-suspend': return { level: 'info', msg: p.reason === 'idle' ? 'VM idle: autosuspend' : 'VM suspending' };
    case 'domain-suspended': return { level: 'info', msg: 'VM suspended' };
    case 'domain-suspend-failed': return { level: 'warn', msg: 'VM suspend failed' };
    case 'domain-resumed': return { level: 'info', msg: 'VM resumed' };
    case 'domain-resume-failed': return { level: 'warn', msg: 'VM resume refused' };
    case 'qrexec-call':
      return p.decision === 'deny' ? { level: 'info', msg: 'qrexec call refused by policy' } : { level: 'debug', msg: 'qrexec call' };
    case 'qrexec-ask': return { level: 'info', msg: 'qrexec call waits for an answer' };
    case 'qrexec-ask-resolved': return { level: 'info', msg: 'qrexec question answered' };
    default:
      if (e.event.startsWith('policy-file-')) return { level: 'info', msg: e.event.startsWith('policy-file-set') ? 'policy file written' : 'policy file removed' };
      return null;
  }
}

/** Logs every committed event as it is published; returns the unsubscribe. */
export function logEvents(events: EventLog, log: Logger): () => void {
  return events.subscribe((e) => {
    const line = lineOf(e) ?? { level: 'debug' as const, msg: e.event };
    if (!log.isLevelEnabled(line.level)) return;
    const vm = e.subject ?? (typeof e.payload.vm === 'string' ? e.payload.vm : undefined);
    log[line.level]({ vm, event: e.event, event_id: e.id, ...e.payload }, line.msg);
  });
}
