/**
 * The CLI bundle (scripts/bundle.mjs) rebuilt in memory from the current dist/: the bytes it
 * should have on disk, and which source modules each bundle file holds (the lazy-loading test maps
 * the files a run loads back to modules and packages with it).
 */
import { build } from "esbuild";
import path from "node:path";
import { bundleOptions, OUT_DIR } from "../../scripts/bundle.mjs";

export { OUT_DIR };

export interface FreshBundle {
  /** Output file name (inside dist/bundle) → its bytes. */
  files: Map<string, Uint8Array>;
  /** Output file name → the modules it contains, as paths relative to the repository (node_modules/… for packages). */
  inputs: Map<string, string[]>;
}

let fresh: Promise<FreshBundle> | undefined;

export function freshBundle(): Promise<FreshBundle> {
  fresh ??= (async () => {
    const options = bundleOptions({ write: false });
    const result = await build(options);
    const files = new Map<string, Uint8Array>();
    for (const f of result.outputFiles ?? []) files.set(path.relative(OUT_DIR, f.path), f.contents);
    const inputs = new Map<string, string[]>();
    for (const [out, meta] of Object.entries(result.metafile.outputs)) {
      inputs.set(
        path.relative(OUT_DIR, path.resolve(options.absWorkingDir ?? process.cwd(), out)),
        Object.keys(meta.inputs),
      );
    }
    return { files, inputs };
  })();
  return fresh;
}
