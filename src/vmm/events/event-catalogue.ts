/**
 * The events the manager emits, named as Qubes names them (reference/qubes.md §3.6), declared
 * once with their subject and payload; a parameterised name ends in `:` and takes a suffix.
 */
export interface EventDef {
  readonly name: string;
  readonly subject: 'vm' | 'none';
  readonly payload: readonly string[];
  readonly doc: string;
}

export const EVENT_CATALOGUE: readonly EventDef[] = [
  { name: 'domain-add', subject: 'none', payload: ['vm'], doc: 'A VM was created.' },
  { name: 'domain-delete', subject: 'none', payload: ['vm'], doc: 'A VM was removed.' },
  { name: 'property-set:', subject: 'vm', payload: ['name', 'newvalue', 'oldvalue'], doc: 'A property was set (suffix: its name).' },
  { name: 'property-reset:', subject: 'vm', payload: ['name', 'oldvalue'], doc: 'A property went back to its default (suffix: its name).' },
  { name: 'domain-tag-add:', subject: 'vm', payload: ['tag'], doc: 'A tag was added (suffix: the tag).' },
  { name: 'domain-tag-delete:', subject: 'vm', payload: ['tag'], doc: 'A tag was removed (suffix: the tag).' },
  { name: 'domain-feature-set:', subject: 'vm', payload: ['feature', 'value', 'oldvalue'], doc: 'A feature was set (suffix: its name).' },
  { name: 'domain-feature-delete:', subject: 'vm', payload: ['feature'], doc: 'A feature was removed (suffix: its name).' },
  { name: 'domain-pre-start', subject: 'vm', payload: ['mem_required'], doc: 'A start begins.' },
  { name: 'domain-spawn', subject: 'vm', payload: ['domid'], doc: 'The domain was created and its vCPU 0 made runnable.' },
  { name: 'domain-start', subject: 'vm', payload: ['domid'], doc: 'The VM runs.' },
  { name: 'domain-start-failed', subject: 'vm', payload: ['reason'], doc: 'A start failed; the VM stays halted.' },
  { name: 'domain-pre-paused', subject: 'vm', payload: [], doc: 'A pause begins.' },
  { name: 'domain-paused', subject: 'vm', payload: [], doc: 'The VM is paused.' },
  { name: 'domain-pre-unpaused', subject: 'vm', payload: [], doc: 'An unpause begins.' },
  { name: 'domain-unpaused', subject: 'vm', payload: [], doc: 'The VM runs again.' },
  { name: 'domain-pre-shutdown', subject: 'vm', payload: ['force'], doc: 'The guest was asked to shut down.' },
  { name: 'domain-stopped', subject: 'vm', payload: ['reason', 'status', 'detail', 'cause', 'pc', 'tval'], doc: 'The domain is gone (shut down, killed or crashed; a crash keeps cause, pc and address).' },
  { name: 'domain-shutdown', subject: 'vm', payload: ['reason', 'status', 'detail', 'cause', 'pc', 'tval'], doc: 'The VM has halted (after domain-stopped); qvm-shutdown --wait waits for it.' },
  { name: 'domain-pre-suspend', subject: 'vm', payload: ['snapshot', 'file', 'reason'], doc: 'A suspend to file begins: the vCPUs are stopped and the state is being written (qvm-suspend without --wait returns here). reason: request, idle (autosuspend_idle_s), or host-stop (on_host_stop=suspend as the manager stops).' },
  { name: 'domain-suspended', subject: 'vm', payload: ['snapshot', 'file', 'bytes'], doc: 'The VM is suspended to a file; its domain keeps its ports, grants and vchans (peers see it stalled).' },
  { name: 'domain-suspend-failed', subject: 'vm', payload: ['reason'], doc: 'A suspend failed; the VM goes on as it was.' },
  { name: 'domain-pre-resume', subject: 'vm', payload: ['snapshot'], doc: 'A resume begins (the file is verified first).' },
  { name: 'domain-resumed', subject: 'vm', payload: ['snapshot', 'domid', 'state'], doc: 'The VM is back from its snapshot, in the state it was suspended from (state: running, or paused, then domain-paused follows).' },
  { name: 'domain-resume-failed', subject: 'vm', payload: ['reason'], doc: 'A resume was refused or failed; nothing changed.' },
  { name: 'snapshot-progress', subject: 'none', payload: ['snapshot', 'vms', 'phase', 'bytes_done', 'bytes_total'], doc: 'A suspend file is being written (phase write): bytes done of the total, about 20 per file.' },
  { name: 'snapshot-delete', subject: 'none', payload: ['snapshot', 'file'], doc: 'A snapshot and its file were removed (by rm, prune, or the resume of the last VM suspended into a file nobody named); snapshot is null for a file without an index entry.' },
  { name: 'qrexec-ask', subject: 'vm', payload: ['id', 'service', 'argument', 'target', 'choices', 'default_target', 'rule', 'expires_at'], doc: 'A qrexec call waits for the user to choose a target or deny (subject: the caller).' },
  { name: 'qrexec-ask-resolved', subject: 'vm', payload: ['id', 'service', 'answer', 'target', 'by', 'reason'], doc: 'A question was answered, or denied at its timeout.' },
  { name: 'qrexec-call', subject: 'vm', payload: ['source', 'target', 'service', 'argument', 'decision', 'rule', 'exit_code', 'bytes_in', 'bytes_out', 'duration_ms', 'error'], doc: 'A qrexec call ended (subject: the caller; dom0 for calls through the API).' },
  { name: 'policy-file-set:', subject: 'none', payload: ['name', 'version', 'by'], doc: 'A policy file was written (suffix: its name).' },
  { name: 'policy-file-delete:', subject: 'none', payload: ['name', 'by'], doc: 'A policy file was removed (suffix: its name).' },
];

/** Whether `name` is a catalogued event (exactly, or a parameterised one with its suffix). */
export function isCataloguedEvent(name: string): boolean {
  return EVENT_CATALOGUE.some((e) => (e.name.endsWith(':') ? name.startsWith(e.name) && name.length > e.name.length : name === e.name));
}
