import { describe, expect, it } from 'vitest';
import { CONFORMANCE } from '../../../fixtures/policy/conformance.js';
import { decide } from '../../../fixtures/policy/harness.js';

describe('conformance with qrexec', () => {
  it.each(CONFORMANCE.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const d = decide(c.policy, { source: c.source, target: c.target, argument: c.argument });
    const e = c.expect;
    expect(d.action).toBe(e.action);
    if (e.target !== undefined) expect(d.target).toBe(e.target);
    if (e.requestedTarget !== undefined) expect(d.requestedTarget).toBe(e.requestedTarget);
    if (e.line !== undefined) expect(d.rule?.line ?? null).toBe(e.line);
    if (e.reason !== undefined) expect(d.reason).toBe(e.reason);
    if (e.notify !== undefined) expect(d.notify).toBe(e.notify);
    if (e.choices !== undefined) expect(d.askChoices?.targets).toEqual(e.choices);
    if (e.defaultTarget !== undefined) expect(d.askChoices?.defaultTarget).toBe(e.defaultTarget);
  });

  it('holds at least 45 cases', () => {
    expect(CONFORMANCE.length).toBeGreaterThanOrEqual(45);
  });
});
