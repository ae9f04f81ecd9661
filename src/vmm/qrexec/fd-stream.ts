/** A process's fd as a qrexec byte stream: reads and writes go to its endpoint; changes come from its VM. */
import type { ByteStream } from '../../qrexec/pipe.js';
import type { InputEndpoint, OutputEndpoint } from '../../guest-kernel/fd-endpoint.js';
import type { VmInstance } from '../../guest-kernel/vm-instance.js';

const closeOf = (e: object | undefined) => () => (e as { close?: () => void } | undefined)?.close?.();

export function fdStream(vm: VmInstance, input: InputEndpoint | undefined, output: OutputEndpoint | undefined): ByteStream {
  return {
    reader: { read: (max) => (input ? input.read(max) : 'eof'), close: closeOf(input) },
    writer: { write: (bytes) => (output ? output.write(bytes) : bytes.length), close: closeOf(output) },
    watch: (fn) => vm.onChange(fn),
  };
}
