import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import tar from 'tar-stream';

export const run = promisify(execFile);

export interface ImageFile {
  path: string;
  type: string;
  mode: number;
  linkname?: string;
}

/** Every entry of an image's file system as Docker unpacked it (docker create + export), and the bytes of the files asked for. */
export async function imageContents(image: string, wanted: readonly string[] = []): Promise<{ files: ImageFile[]; contents: Map<string, Buffer> }> {
  const { stdout } = await run('docker', ['create', image]);
  const container = stdout.trim();
  try {
    const child = spawn('docker', ['export', container], { stdio: ['ignore', 'pipe', 'inherit'] });
    const extract = tar.extract();
    const files: ImageFile[] = [];
    const contents = new Map<string, Buffer>();
    await new Promise<void>((resolve, reject) => {
      extract.on('entry', (header, stream, next) => {
        const path = header.name.replace(/\/$/, '');
        files.push({ path, type: header.type ?? 'file', mode: header.mode ?? 0, linkname: header.linkname ?? undefined });
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: unknown) => void (wanted.includes(path) && chunks.push(chunk as Buffer)));
        stream.on('end', () => {
          if (wanted.includes(path)) contents.set(path, Buffer.concat(chunks));
          next();
        });
        stream.resume();
      });
      extract.on('finish', resolve);
      extract.on('error', reject);
      child.stdout.pipe(extract);
    });
    return { files, contents };
  } finally {
    await run('docker', ['rm', '-f', container]);
  }
}
