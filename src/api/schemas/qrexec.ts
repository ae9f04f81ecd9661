/** Schemas of qrexec calls made by dom0 through the API. */
import { z } from 'zod';

/** 16 MiB of stdin, as base64 text. */
const MAX_STDIN_BASE64 = Math.ceil((16 * 1024 * 1024) / 3) * 4;

export const QrexecCall = z
  .strictObject({
    service: z.string().min(1).max(1024).optional().describe('Service to call, e.g. qubes.VMShell or cella.Echo; SERVICE+ARG takes the argument'),
    argument: z.string().max(1024).optional().describe("The service argument, with or without its leading '+'"),
    command: z.string().min(1).max(65535).optional().describe('Instead of a service: a command line for the VM’s shell (as qvm-run sends it)'),
    stdin: z.base64().max(MAX_STDIN_BASE64).default('').describe('Bytes for the service’s stdin (up to 16 MiB), base64; then EOF'),
    autostart: z.boolean().default(true).describe('Start the VM first when it is halted (qvm-run does; --no-autostart does not)'),
  })
  .refine((b) => (b.service === undefined) !== (b.command === undefined), { message: 'give either service or command' })
  .meta({ id: 'QrexecCall' });

export const QrexecResult = z
  .object({
    exit_code: z.number().int().describe('The service’s exit code; 126 refused, 125 qrexec failure, 127 no such service'),
    stdout: z.string().describe('base64'),
    stderr: z.string().describe('base64'),
    bytes_in: z.number().int(),
    bytes_out: z.number().int(),
    error: z.string().nullable().describe('Why the call failed in qrexec itself, if it did'),
  })
  .meta({ id: 'QrexecResult' });

export const QrexecStreamQuery = z.strictObject({
  service: z.string().min(1).max(1024).optional(),
  argument: z.string().max(1024).optional(),
  command: z.string().min(1).max(65535).optional(),
  autostart: z.enum(['true', 'false']).default('true'),
});
