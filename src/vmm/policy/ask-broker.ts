/**
 * Pending `ask` questions: a decision of ask becomes a question with its choices (an event on the
 * stream and GET /api/v1/qrexec/asks), answered through the API with allow + a target from the
 * choices, or deny; unanswered, it is denied after a timeout. Each resolution is an event.
 */
import { randomUUID } from 'node:crypto';
import { answerAsk, type Decision, type PolicyRequest, type SystemInfo } from '../../qrexec/policy/index.js';
import type { ConfigTransactions } from '../config/config-transaction.js';
import { CellaError, fail } from '../errors.js';
import type { Logger } from 'pino';

/** Seconds an unanswered question waits before it is denied. */
export const ASK_TIMEOUT_S = 60;

export interface PendingAsk {
  readonly id: string;
  readonly request: PolicyRequest;
  readonly decision: Decision;
  readonly createdAt: string;
  readonly expiresAt: string;
}

interface Waiting extends PendingAsk {
  readonly resolve: (d: Decision) => void;
  readonly timer: NodeJS.Timeout;
}

export type AskAnswer = { allow: true; target: string } | { allow: false };

export class AskBroker {
  private readonly pending = new Map<string, Waiting>();

  constructor(
    private readonly tx: ConfigTransactions,
    private readonly system: () => SystemInfo,
    private readonly log: Logger,
    private readonly timeoutS = ASK_TIMEOUT_S,
  ) {}

  list(): PendingAsk[] {
    return [...this.pending.values()].map(({ id, request, decision, createdAt, expiresAt }) => ({ id, request, decision, createdAt, expiresAt }));
  }

  /** Opens a question for an `ask` decision; resolves with the final decision (allow or deny). */
  async open(request: PolicyRequest, decision: Decision): Promise<Decision> {
    const id = randomUUID();
    const now = Date.now();
    let resolve!: (d: Decision) => void;
    const done = new Promise<Decision>((r) => (resolve = r));
    const timer = setTimeout(() => void this.resolve(id, { allow: false }, 'timeout').catch((err: unknown) => this.unanswered(err, id, 'timeout')), this.timeoutS * 1000);
    timer.unref();
    const ask: Waiting = {
      id, request, decision, resolve, timer,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.timeoutS * 1000).toISOString(),
    };
    this.pending.set(id, ask);
    await this.tx.run(async ({ emit }) =>
      emit('qrexec-ask', request.source, {
        id, service: request.service, argument: request.argument, target: request.target,
        choices: decision.askChoices?.targets ?? [], default_target: decision.askChoices?.defaultTarget ?? null,
        rule: decision.rule, expires_at: ask.expiresAt,
      }),
    );
    return done;
  }

  /** Answers a pending question; `by` is who answered (a VM name, or `timeout`). */
  async resolve(id: string, answer: AskAnswer, by: string): Promise<Decision> {
    const ask = this.pending.get(id) ?? fail('ASK_NOT_FOUND', `no pending question '${id}'`);
    const final = answerAsk(ask.decision, answer, ask.request, this.system());
    if (answer.allow && final.action !== 'allow') fail('VALIDATION_FAILED', final.reason);
    this.pending.delete(id);
    clearTimeout(ask.timer);
    try {
      await this.tx.run(async ({ emit }) =>
        emit('qrexec-ask-resolved', ask.request.source, {
          id, service: ask.request.service, answer: final.action, target: final.target, by, reason: final.reason,
        }),
      );
    } finally {
      // the call goes on with its answer even when the event could not be recorded
      ask.resolve(final);
    }
    return final;
  }

  /** A question answered meanwhile is fine; any other failure to deny it is logged. */
  private unanswered(err: unknown, id: string, by: string): void {
    if (err instanceof CellaError && err.code === 'ASK_NOT_FOUND') return;
    this.log.error({ err, ask: id, by }, 'ask: the answer was not recorded');
  }

  /** Denies every pending question (the manager is stopping). */
  async closeAll(): Promise<void> {
    for (const id of [...this.pending.keys()]) await this.resolve(id, { allow: false }, 'shutdown').catch((err: unknown) => this.unanswered(err, id, 'shutdown'));
  }
}
