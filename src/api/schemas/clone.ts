/** The body of POST /api/v1/vms/{name}/clone. */
import { z } from 'zod';
import { CREATABLE_CLASSES } from '../../vmm/config/vm-class.js';
import { VmName } from './vm.js';

export const VmClone = z
  .strictObject({
    name: VmName.describe('Name of the new VM'),
    class: z.enum(CREATABLE_CLASSES).optional().describe("Class of the new VM; the source's when absent (qvm-clone -C)"),
  })
  .meta({ id: 'VmClone' });
