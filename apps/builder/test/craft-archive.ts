import tar from 'tar-stream';

export interface Entry {
  header: Partial<tar.Header> & { name: string };
  content?: Buffer;
}

/** A tar archive written entry by entry, so tests can put in what `lading build` never would. */
export async function craftArchive(entries: readonly Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const { header, content } of entries) {
    if (content === undefined) pack.entry(header);
    else pack.entry(header, content);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
