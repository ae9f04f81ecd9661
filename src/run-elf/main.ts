/** The `cella` command line: parses arguments with commander and dispatches to run-elf. */
import { Command, InvalidArgumentError } from 'commander';
import { runElf } from './run-elf-command.js';

const count = (v: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
};

const mib = (v: string): number => {
  const n = count(v);
  if (n < 1 || n > 2047) throw new InvalidArgumentError('must be between 1 and 2047');
  return n;
};

const collect = (v: string, all: string[]): string[] => [...all, v];

export function cellaProgram(): Command {
  const program = new Command('cella').description('Cella guest tools').enablePositionalOptions();
  program.command('run-elf')
    .description('run one RV32IM guest program alone, like qemu-riscv32 (stdio passed through, exit status is the guest\'s)')
    .argument('<program>', 'an ELF file, or the name of a prebuilt image (hello, echo, sha256sum, cpubench, isa-digest)')
    .argument('[args...]', 'arguments for the guest')
    .option('--max-instructions <n>', 'stop after N instructions (exit status 124)', count)
    .option('--trace', 'print pc and disassembly of every instruction on stderr', false)
    .option('--stats', 'print instructions, MIPS and syscalls by number on stderr', false)
    .option('--seed <n>', 'seed of the guest\'s deterministic random generator', count, 0)
    .option('--memory <mib>', 'guest RAM in MiB (1-2047)', mib, 64)
    .option('--env <name=value>', 'add to the guest environment (repeatable)', collect, [])
    .passThroughOptions()
    .action((file: string, args: string[], opts: { maxInstructions?: number; trace: boolean; stats: boolean; seed: number; memory: number; env: string[] }) => {
      process.exitCode = runElf(file, args, opts);
    });
  return program;
}

cellaProgram().parse(process.argv);
