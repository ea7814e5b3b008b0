import { Readable } from 'node:stream';
import tar from 'tar-stream';

export interface RawEntry {
  name: string;
  type?: tar.Header['type'];
  content?: string;
  linkname?: string;
  mode?: number;
}

/** Hand-made archives, including the hostile ones `lading build` would never produce. */
export async function makeTar(entries: RawEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const entry of entries) {
    const header = { name: entry.name, type: entry.type ?? 'file', mode: entry.mode ?? 0o644, linkname: entry.linkname };
    if (entry.content === undefined) pack.entry(header);
    else pack.entry(header, entry.content);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function readTar(stream: Readable): Promise<Map<string, { mode: number; type: string; content: string }>> {
  const extract = tar.extract();
  stream.pipe(extract);
  const result = new Map<string, { mode: number; type: string; content: string }>();
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    result.set(entry.header.name, { mode: entry.header.mode, type: entry.header.type, content: Buffer.concat(chunks).toString() });
  }
  return result;
}
