// Types of scripts/bundle.mjs for the tests that rebuild the bundle in memory.
import type { BuildOptions } from "esbuild";
export declare const ROOT: string;
export declare const OUT_DIR: string;
export declare const INLINE: Set<string>;
export declare function bundleOptions(options?: { write?: boolean }): BuildOptions & { metafile: true; outdir: string };
