/**
 * `--cache`, `--no-cache` and `--cache-location DIR` for validate and check. Opt-in like ESLint's;
 * the folder defaults to node_modules/.cache/tollgate under the project root and must resolve
 * inside the root (symlinks included), so a cache can never be written elsewhere.
 */
import { isInsideOrSame as inside, realOfExisting } from "../../load/project-paths.js";
import path from "node:path";
import type { CacheStats } from "../../load/parse/parse-cache.js";
import { UsageError } from "../../util/usage-error.js";

export const DEFAULT_CACHE_LOCATION = "node_modules/.cache/tollgate";

export interface CacheFlags {
  root: string;
  cache?: boolean;
  cacheLocation?: string;
}

/** The cache folder to use, or undefined when caching is off. */
export async function resolveCache(o: CacheFlags): Promise<{ dir: string } | undefined> {
  const root = path.resolve(o.root);
  const dir = path.resolve(root, o.cacheLocation ?? DEFAULT_CACHE_LOCATION);
  const hint = `Name a folder inside the project root, e.g. ${DEFAULT_CACHE_LOCATION}.`;
  if (
    o.cacheLocation !== undefined &&
    (!inside(dir, root) || !inside(await realOfExisting(dir), await realOfExisting(root)))
  ) {
    throw new UsageError(`--cache-location ${o.cacheLocation}: the cache folder must be inside the project root`, hint);
  }
  if (o.cache !== true) return undefined;
  if (!inside(await realOfExisting(dir), await realOfExisting(root)))
    throw new UsageError("the cache folder resolves outside the project root (a symbolic link?)", hint);
  return { dir };
}

/** `TOLLGATE_CACHE_STATS=1`: one line on stderr saying what the cache did (tests and benchmarks read it). */
export function reportCacheStats(stats: CacheStats | undefined): void {
  if (stats && process.env.TOLLGATE_CACHE_STATS === "1")
    process.stderr.write(`tollgate: cache: ${stats.hits} hits, ${stats.misses} misses, ${stats.writes} writes\n`);
}
