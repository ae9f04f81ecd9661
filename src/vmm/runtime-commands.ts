/** Console, stats and image commands: what the Manager answers from the running VMs and the image catalogue. */
import type { CommandOf, CommandResults, ImageInfo } from './commands.js';
import type { VmCache } from './config/vm-cache.js';
import { vmView } from './config/vm-view.js';
import { DOM0_UUID } from './config/dom0.js';
import { fail } from './errors.js';
import type { GuestImage } from '../guest-kernel/guest-image.js';
import type { ImageCatalogue } from './images/image-catalogue.js';
import type { Lifecycle } from './lifecycle/lifecycle.js';
import type { VmMonitor } from './domain/vm-monitor.js';

export class RuntimeCommands {
  constructor(
    private readonly cache: VmCache,
    private readonly lifecycle: Lifecycle,
    private readonly images: ImageCatalogue,
    private readonly monitor: VmMonitor,
  ) {}

  async console(c: CommandOf<'vm.console'>): Promise<CommandResults['vm.console']> {
    const ring = await this.lifecycle.consoleOf(c.name);
    if (!ring) return { data: new Uint8Array(0), total: 0, dropped: 0 };
    return { data: ring.tail(c.tail), total: ring.total, dropped: ring.dropped };
  }

  async follow(c: CommandOf<'vm.console.follow'>): Promise<CommandResults['vm.console.follow']> {
    const instance = (await this.lifecycle.instanceOf(c.name)) ?? fail('INVALID_STATE', 'Domain is powered off', { state: 'halted' });
    const ring = instance.console;
    const tail = { data: ring.tail(ring.capacity), total: ring.total, dropped: ring.dropped };
    return { tail, unfollow: ring.follow(c.listener) };
  }

  /** Every VM's state and counters (for /metrics). */
  counters(): CommandResults['host.counters'] {
    return this.cache.all().map((vm) => {
      const instance = this.lifecycle.liveInstance(vm.uuid);
      return {
        name: vm.name,
        klass: vm.klass,
        state: vm.uuid === DOM0_UUID ? 'running' : this.lifecycle.state(vm.uuid),
        instructions: instance?.instructions() ?? 0,
        hostCpuSeconds: (instance?.ecs.reduce((t, ec) => t + ec.hostMs, 0) ?? 0) / 1000,
        memoryBytes: instance?.pd.memory?.size ?? 0,
      };
    });
  }

  /** What lsevtchn shows for a running VM (dom0's ports for dom0). */
  async evtchn(c: CommandOf<'vm.evtchn'>): Promise<CommandResults['vm.evtchn']> {
    const domid = await this.domidOf(c.name);
    return { domid, ports: this.monitor.xen.evtchn.list(domid) };
  }

  /** What Xen's grant debug key shows for a running VM: its table, pinned entries and its mappings. */
  async grants(c: CommandOf<'vm.grants'>): Promise<CommandResults['vm.grants']> {
    const domid = await this.domidOf(c.name);
    const dump = this.monitor.xen.grants.dump();
    const own = dump.find((d) => d.domid === domid && !d.zombie) ?? { domid, zombie: false, nrFrames: 0, maxFrames: 0, active: [], mappings: [] };
    return { ...own, zombies: dump.filter((d) => d.zombie && d.active.some((a) => a.mapper === domid)) };
  }

  private async domidOf(name: string): Promise<number> {
    if (name === 'dom0') return 0;
    const instance = await this.lifecycle.instanceOf(name);
    return instance?.pd.id ?? fail('INVALID_STATE', 'Domain is powered off', { state: 'halted' });
  }

  imageList(): ImageInfo[] {
    return this.images.list().map((i) => this.info(i));
  }

  imageGet(c: CommandOf<'image.get'>): ImageInfo {
    return this.info(this.images.mustGet(c.name));
  }

  async imageAdd(c: CommandOf<'image.add'>): Promise<ImageInfo> {
    return this.info(await this.images.add(c.upload));
  }

  async imageDelete(c: CommandOf<'image.delete'>): Promise<void> {
    await this.cache.fresh();
    await this.images.remove(c.name, this.users(c.name));
  }

  /** VMs whose effective kernel is the image. */
  private users(image: string): string[] {
    return this.cache
      .all()
      .filter((vm) => vm.klass !== 'AdminVM' && vmView(vm, this.cache).kernel === image)
      .map((vm) => vm.name);
  }

  private info(image: GuestImage): ImageInfo {
    return {
      name: image.name,
      kernel: image.kernel,
      programs: [...image.programs].map(([name, elf]) => ({ name, bytes: elf.length })),
      services: { ...image.services },
      builtin: image.builtin,
      users: this.users(image.name),
    };
  }
}
