/** The qubes as the policy engine sees them (qubesd's internal.GetSystemInfo), built from the VM cache. */
import type { SystemInfo } from '../../qrexec/policy/index.js';
import type { VmRecord } from '../../store/vm-repository.js';
import { PROPERTY_BY_NAME } from '../config/properties.js';
import type { VmCache } from '../config/vm-cache.js';
import { effectiveValue } from '../config/vm-view.js';

const QUBES_POWER: Record<string, string> = { halted: 'Halted', running: 'Running', paused: 'Paused', crashed: 'Crashed', halting: 'Halting' };

export function systemSnapshot(vms: VmCache): SystemInfo {
  const domains: SystemInfo['domains'] = {};
  const dvm = PROPERTY_BY_NAME.get('template_for_dispvms')!;
  const dd = PROPERTY_BY_NAME.get('default_dispvm')!;
  for (const vm of vms.all() as VmRecord[]) {
    domains[vm.name] = {
      type: vm.klass as SystemInfo['domains'][string]['type'],
      tags: vm.tags,
      default_dispvm: (effectiveValue(vm, dd, vms) as string | null) ?? null,
      template_for_dispvms: effectiveValue(vm, dvm, vms) === true,
      uuid: vm.uuid,
      power_state: QUBES_POWER[vm.powerState] ?? 'Transient',
    };
  }
  return { domains };
}
