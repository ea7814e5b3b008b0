import type { BuildOptions } from 'esbuild';

export declare const optionalNative: string[];

/** esbuild's options for an app: see bundle-options.mjs. */
export declare function bundleOptions(app: {
  appDir: string;
  manifest: Record<string, unknown>;
  entryPoints: string[] | Record<string, string>;
  outdir: string;
}): BuildOptions & { metafile: true };
