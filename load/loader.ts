/**
 * load → validate → model. The only way other folders read manifests: `loadProject(root, { now })`
 * returns the typed model, the source map and every diagnostic found in one pass.
 * The stages live beside it: config.ts (tollgate.yaml and the paths it names), validate-file.ts
 * (one file into the model), issues.ts (zod issues as diagnostics), references.ts, waivers.ts.
 */
import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import type { Document } from "yaml";
import { todayUtc } from "../model/dates.js";
import type { Diagnostic } from "../model/diagnostics.js";
import { emptyModel, type Model } from "../model/model.js";
import type { ProjectConfigT } from "../model/schema.js";
import { SECTIONS, type Section } from "../model/sections.js";
import type { StepReporter } from "../util/progress.js";
import { version } from "../util/version.js";
import { Collector } from "./collector.js";
import { configuredPaths, readerFor, readProjectConfig } from "./config.js";
import type { CacheStats } from "./parse/parse-cache.js";
import { cacheFor, display, parseFile, toPosix } from "./parse/parse-file.js";
import { parseInWorkers } from "./parse/parse-pool.js";
import { checkReferences } from "./references.js";
import { SourceMap, type SourceFile } from "./source-map.js";
import { checkDates, validateManifest } from "./validate-file.js";
import { loadWaivers, type LocatedWaiver } from "./waivers.js";

export type { Model } from "../model/model.js";
export { CONFIG_FILE, DEFAULT_MAX_DEPTH, DEFAULT_MAX_FILE_BYTES } from "./config.js";
export { DEFAULT_WAIVERS_FILE, type LocatedWaiver } from "./waivers.js";

/** Above this many bytes of manifests, files are parsed in worker threads (when cores allow). */
export const PARALLEL_THRESHOLD_BYTES = 2 * 1024 * 1024;
const MIN_CORES_FOR_WORKERS = 4;

export interface Project {
  root: string;
  now: string;
  config: ProjectConfigT;
  configLocation: SourceFile | undefined;
  model: Model;
  waivers: LocatedWaiver[];
  sources: SourceMap;
  files: string[];
}

export interface LoadResult {
  project: Project;
  diagnostics: Diagnostic[];
  ok: boolean;
  /** With a cache: files read from it, looked up in vain, and stored. */
  cacheStats?: CacheStats;
}

export interface LoadOptions {
  now?: string;
  /** Paths in diagnostics are shown relative to this folder (default: the working directory). */
  displayBase?: string;
  /** Worker threads for parsing: 0 = none, default = automatic for large projects (TOLLGATE_PARSE_WORKERS overrides). */
  workers?: number;
  /**
   * Keep parse workers alive after loading, so findings can be located later (the engine does);
   * the caller must then call project.sources.dispose().
   */
  keepWorkers?: boolean;
  /** `--cache`: keep parsed files in this folder (resolved by the caller; see assess/cache/cache-option.ts). */
  cache?: { dir: string } | undefined;
  /** Called as files are parsed (the progress line). */
  progress?: StepReporter | undefined;
}

export async function loadProject(root: string, options: LoadOptions = {}): Promise<LoadResult> {
  const absRoot = path.resolve(root);
  const out = new Collector();
  const now = options.now ?? todayUtc();
  const model = emptyModel();
  const sources = new SourceMap();
  const reader = await readerFor(root, options.displayBase, out);

  // Project configuration first: it names the manifest folders and the limits.
  const { config, configLocation, rawConfig, configPath } = await readProjectConfig(reader, absRoot);
  // Keys change with the version and with every option that changes what parsing gives.
  if (options.cache)
    reader.cache = { dir: options.cache.dir, salt: `${version()}\u0000${reader.maxDepth}\u0000${reader.maxBytes}` };
  const cacheStats: CacheStats | undefined = reader.cache ? { hits: 0, misses: 0, writes: 0 } : undefined;
  // This thread's counters before loading (the cache object is shared by loads in one process).
  const before = reader.cache ? { ...cacheFor(reader.cache).stats } : undefined;
  model.organization = config.organization;

  const files = await configuredPaths(reader, config, rawConfig, configLocation, configPath);
  if (files.length === 0 && out.diagnostics.length === 0) {
    out.add(
      "no-manifests",
      { file: toPosix(path.relative(reader.displayBase, absRoot) || "."), line: 1, col: 1 },
      `no manifest files in ${config.manifests.join(", ")}`,
      "Create manifests/*.yaml, or set `manifests:` in tollgate.yaml.",
    );
  }

  // Names declared anywhere, even in entries that failed validation: references to them resolve.
  const declared = Object.fromEntries(SECTIONS.map((s) => [s, new Set<string>()])) as Record<Section, Set<string>>;
  const workers = await chooseWorkers(files, options.workers);
  const target = { out, model, sources, declared };
  if (workers > 1) {
    let parsed = 0;
    options.progress?.("loading manifests", 0, files.length);
    const pool = await parseInWorkers(reader, files, workers, out, () =>
      options.progress?.("loading manifests", ++parsed, files.length),
    );
    const reads = pool.results;
    if (cacheStats) addStats(cacheStats, pool.cacheStats);
    sources.resolver = pool.resolve;
    sources.disposer = pool.dispose;
    for (let i = 0; i < reads.length; i++) {
      const read = reads[i];
      // The raw values of a file are garbage once validated: dropping them keeps peak memory down.
      reads[i] = undefined;
      if (read) validateManifest(read, target);
    }
  } else {
    // One file at a time, validated as soon as it is parsed: only one file's raw values are alive
    // at once (they were all alive together before validation started: most of the peak memory).
    // Diagnostics are sorted by file first, and each file's come in the same order as before.
    for (const [i, f] of files.entries()) {
      options.progress?.("loading manifests", i, files.length);
      const read = await parseFile(reader, f, out);
      if (read) validateManifest(read, target);
    }
    options.progress?.("loading manifests", files.length, files.length);
  }
  sortModel(model);

  checkDates(model, sources, out, now);

  checkReferences(model, declared, sources, (code, loc, message, hint, severity) =>
    out.add(code, loc, message, hint, severity ?? "error"),
  );

  const waivers = await loadWaivers(reader, absRoot, config);
  if (cacheStats && reader.cache && before) {
    const now = cacheFor(reader.cache).stats;
    addStats(cacheStats, {
      hits: now.hits - before.hits,
      misses: now.misses - before.misses,
      writes: now.writes - before.writes,
    });
    if (cacheStats.writes > 0) await cacheFor(reader.cache).prune();
  }

  await sources.resolvePending();
  if (!options.keepWorkers) await sources.dispose();
  const diagnostics = out.finish();
  return {
    project: {
      root: absRoot,
      now,
      config,
      configLocation,
      model,
      waivers,
      sources,
      files: files.map((f) => display(reader, f)),
    },
    diagnostics,
    ok: !diagnostics.some((d) => d.severity === "error"),
    ...(cacheStats ? { cacheStats } : {}),
  };
}

function addStats(into: CacheStats, add: CacheStats): void {
  into.hits += add.hits;
  into.misses += add.misses;
  into.writes += add.writes;
}

function sortModel(model: Model): void {
  for (const section of SECTIONS) {
    const m = model[section] as Map<string, unknown>;
    const sorted = [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    m.clear();
    for (const [k, v] of sorted) m.set(k, v);
  }
}

/** Worker threads pay off only for large projects on machines with more than one core. */
async function chooseWorkers(files: string[], requested: number | undefined): Promise<number> {
  const env = process.env.TOLLGATE_PARSE_WORKERS;
  const forced = requested ?? (env !== undefined && /^\d+$/.test(env) ? Number(env) : undefined);
  if (forced !== undefined) return Math.min(forced, files.length);
  const cores = availableParallelism();
  // With the fast path, parsing is no longer most of the work, and cloning values back from workers
  // costs memory (+35 % peak at 50k secrets) and, on two cores, competes with the GC: only from 4 cores.
  if (cores < MIN_CORES_FOR_WORKERS || files.length < 2) return 0;
  let bytes = 0;
  for (const f of files) {
    try {
      bytes += (await stat(f)).size;
    } catch {
      /* reported by parseFile */
    }
  }
  return bytes >= PARALLEL_THRESHOLD_BYTES ? Math.min(cores, 4, files.length) : 0;
}

export type { Document };
