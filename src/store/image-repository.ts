/** Uploaded guest images: name, kernel program, service table and the programs' ELF bytes. */
import type { Db, DbTx } from './database.js';

export interface ImageRecord {
  name: string;
  kernel: string;
  /** The service table as JSON text. */
  services: string;
  createdAt: Date;
  programs: { name: string; elf: Uint8Array }[];
}

export class ImageRepository {
  constructor(private readonly db: Db | DbTx) {}

  async all(): Promise<ImageRecord[]> {
    const rows = await this.db.image.findMany({ include: { programs: { orderBy: { name: 'asc' } } }, orderBy: { name: 'asc' } });
    return rows.map((r) => ({ ...r, programs: r.programs.map((p) => ({ name: p.name, elf: new Uint8Array(p.elf) })) }));
  }

  async create(image: Omit<ImageRecord, 'createdAt'>): Promise<void> {
    await this.db.image.create({
      data: {
        name: image.name,
        kernel: image.kernel,
        services: image.services,
        programs: { create: image.programs.map((p) => ({ name: p.name, elf: Buffer.from(p.elf) })) },
      },
    });
  }

  async delete(name: string): Promise<boolean> {
    const { count } = await this.db.image.deleteMany({ where: { name } });
    return count > 0;
  }
}
