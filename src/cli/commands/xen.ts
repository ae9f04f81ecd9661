/** qvm evtchn NAME and qvm grants NAME: a running VM's event channels (like lsevtchn) and grants (like Xen's 'g' key). */
import { Command } from 'commander';
import { apiClient, unwrap } from '../client.js';

export function defineEvtchn(cmd: Command): Command {
  return cmd
    .description("List a running VM's event-channel ports")
    .argument('<vmname>', 'the VM (dom0 for dom0)')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      const res = unwrap(await apiClient().GET('/api/v1/vms/{name}/event-channels', { params: { path: { name } } }));
      if (opts.json) return void process.stdout.write(`${JSON.stringify(res, null, 2)}\n`);
      for (const p of res.ports) {
        const peer = p.state === 'interdomain' ? ` dom=${p.remoteDom} port=${p.remotePort}` : p.state === 'unbound' ? ` dom=${p.remoteDom}` : p.state === 'virq' ? ` virq=${p.virq}` : '';
        process.stdout.write(`${String(p.port).padStart(4)}: ${p.state.padEnd(11)} vcpu=${p.notifyVcpu}${peer}${p.pending ? ' pending' : ''}${p.masked ? ' masked' : ''}\n`);
      }
    });
}

export function defineGrants(cmd: Command): Command {
  return cmd
    .description("Show a running VM's grant table, entries pinned by mappers, and its own mappings")
    .argument('<vmname>', 'the VM')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      const g = unwrap(await apiClient().GET('/api/v1/vms/{name}/grants', { params: { path: { name } } }));
      if (opts.json) return void process.stdout.write(`${JSON.stringify(g, null, 2)}\n`);
      const out = [`dom${g.domid}: ${g.nrFrames}/${g.maxFrames} grant frames`];
      for (const a of g.active) {
        out.push(`  ref ${a.ref}: mapped by dom${a.mapper} pin=0x${a.pin.toString(16)} flags=0x${a.flags.toString(16)} frame=0x${a.frame.toString(16)}`);
      }
      for (const m of g.mappings) {
        out.push(`  handle ${m.handle}: dom${m.granter} ref ${m.ref} at 0x${m.hostAddr.toString(16)}${m.readonly ? ' (readonly)' : ''}`);
      }
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
