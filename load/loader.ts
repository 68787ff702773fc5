/**
 * load → validate → model. The only way other folders read manifests: `loadProject(root, { now })`
 * returns the typed model, the source map and every diagnostic found in one pass.
 *
 * Longer than the ~250-line rule for now: the collector, the per-file pass and the merge share the
 * collector's state; moving `loadProject`'s closure into its own module is the next split (issue 23).
 */
import { availableParallelism } from "node:os";
import { lstat, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { Document } from "yaml";
import type { z } from "zod";
import { daysBetween, isRealDate, todayUtc } from "../model/dates.js";
import { DURATION_PATTERN } from "../model/duration.js";
import {
  DIAGNOSTIC_CODES,
  sortDiagnostics,
  type Diagnostic,
  type DiagnosticCode,
  type Severity,
} from "../model/diagnostics.js";
import {
  Alert,
  Api,
  Channel,
  Environment,
  ManifestFile,
  ProjectConfig,
  SECTIONS,
  Secret,
  Service,
  Webhook,
  WaiversFile,
  type AlertT,
  type ApiT,
  type ChannelT,
  type EnvironmentT,
  type ProjectConfigT,
  type Section,
  type SecretT,
  type ServiceT,
  type WaiverT,
  type WebhookT,
} from "../model/schema.js";
import { cacheFor, display, parseFile, toPosix, type FileOutput, type ReaderConfig } from "./parse/parse-file.js";
import type { CacheStats } from "./parse/parse-cache.js";
import { version } from "../util/version.js";
import { parseInWorkers } from "./parse/parse-pool.js";
import { locateIn, SourceMap, type Location, type SourceFile } from "./source-map.js";
import { didYouMean, closest } from "../util/suggest.js";
import { knownKeys } from "./zod-paths.js";
import { checkReferences } from "./references.js";
import { SecretSet } from "../redact/redact.js";
import { listYaml, resolveConfigured } from "./project-paths.js";
import { docsUrl } from "../util/project-url.js";
import type { StepReporter } from "../util/progress.js";
import type { Model } from "../model/model.js";

export type { Model } from "../model/model.js";

export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 64;
/** Above this many bytes of manifests, files are parsed in worker threads (when cores allow). */
export const PARALLEL_THRESHOLD_BYTES = 2 * 1024 * 1024;
const MIN_CORES_FOR_WORKERS = 4;
export const CONFIG_FILE = "tollgate.yaml";
export const DEFAULT_WAIVERS_FILE = "waivers.yaml";

export interface LocatedWaiver extends WaiverT {
  location: Location;
}

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

const ENTRY_SCHEMAS: Record<Section, z.ZodType> = {
  environments: Environment,
  services: Service,
  secrets: Secret,
  apis: Api,
  webhooks: Webhook,
  channels: Channel,
  alerts: Alert,
};

/** Collects diagnostics and remembers secret values found, so no message can ever echo one. */
class Collector implements FileOutput {
  readonly diagnostics: Diagnostic[] = [];
  private readonly secretValues = new Set<string>();

  private readonly seen = new Set<string>();

  /** Locations from worker-parsed files are filled in later; finish() copies them in. */
  private readonly locations = new Map<Diagnostic, Location>();

  add(code: DiagnosticCode, loc: Location, message: string, hint?: string, severity: Severity = "error"): void {
    // One report per code and position: two detectors may flag the same pasted value.
    const key = `${code}\u0000${loc.file}\u0000${loc.line}\u0000${loc.col}`;
    if (code === "secret-value" && loc.line > 0 && this.seen.has(key)) return;
    this.seen.add(key);
    const d: Diagnostic = {
      code,
      severity,
      message,
      hint: hint ?? `${DIAGNOSTIC_CODES[code]} See ${docsUrl("diagnostics.md", code)}`,
      file: loc.file,
      line: loc.line,
      col: loc.col,
    };
    if (loc.line === 0) this.locations.set(d, loc);
    this.diagnostics.push(d);
  }

  rememberSecret(value: string): void {
    if (value.length >= 4) this.secretValues.add(value);
  }

  /** A diagnostic already positioned elsewhere (a worker thread). */
  addRaw(d: Diagnostic): void {
    this.diagnostics.push(d);
  }

  /** Work that needs resolved positions (messages that quote another location). */
  readonly afterResolve: (() => void)[] = [];

  finish(): Diagnostic[] {
    for (const [d, loc] of this.locations) {
      d.line = loc.line;
      d.col = loc.col;
    }
    for (const fn of this.afterResolve) fn();
    if (this.secretValues.size > 0) {
      // By value as written, as decoded and in every escaped form (redact/redact.ts).
      const set = new SecretSet();
      for (const v of this.secretValues) set.add(v);
      for (const d of this.diagnostics) {
        d.message = set.redact(d.message);
        d.hint = set.redact(d.hint);
      }
    }
    return sortDiagnostics(this.diagnostics);
  }
}

function emptyModel(): Model {
  return {
    organization: undefined,
    environments: new Map(),
    services: new Map(),
    secrets: new Map(),
    apis: new Map(),
    webhooks: new Map(),
    channels: new Map(),
    alerts: new Map(),
  };
}

interface FileReader extends ReaderConfig {
  root: string;
  out: Collector;
  /** The configured waivers file once it passed the root check (undefined: not configured or refused). */
  waiversPath?: string | undefined;
}

function hasPath(value: unknown, path: readonly (string | number)[]): boolean {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== "object" || !Object.prototype.hasOwnProperty.call(v, seg)) return false;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return true;
}

function issueToDiagnostic(
  out: Collector,
  src: SourceFile,
  schema: z.ZodType,
  base: (string | number)[],
  issue: z.core.$ZodIssue,
  input: unknown,
): void {
  const rel = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)) as (string | number)[];
  const full = [...base, ...rel];
  const field = rel.length > 0 ? String(rel[rel.length - 1]) : base[base.length - 1];
  if (issue.code !== "unrecognized_keys" && rel.length > 0 && !hasPath(input, rel)) {
    const expected =
      issue.code === "invalid_type"
        ? ` (${issue.expected})`
        : issue.code === "invalid_value"
          ? ` (one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")})`
          : "";
    out.add("missing-field", locateIn(src, full), `\`${field}\` is required`, `Add \`${field}\`${expected}.`);
    return;
  }
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeys(schema, rel);
      for (const key of issue.keys) {
        const hint = didYouMean(key, known) ?? (known.length ? `allowed keys: ${known.join(", ")}` : undefined);
        out.add("unknown-key", locateIn(src, [...full, key]), `unknown key \`${clip(key)}\``, hint);
      }
      return;
    }
    case "invalid_type": {
      const loc = locateIn(src, full);
      const got = describeType((issue as any).input);
      out.add(
        "invalid-type",
        loc,
        `\`${field}\` must be ${article(issue.expected)}, got ${got}`,
        hintForType(issue.expected),
      );
      return;
    }
    case "invalid_format": {
      const loc = locateIn(src, full);
      if (issue.format === "date")
        out.add(
          "invalid-date",
          loc,
          `\`${field}\` is not a real calendar date`,
          "Use YYYY-MM-DD with a day that exists (e.g. 2025-02-28).",
        );
      else if (issue.format === "regex")
        out.add(
          "invalid-value",
          loc,
          `\`${field}\` does not match the expected format`,
          patternHint((issue as any).pattern),
        );
      else out.add("invalid-value", loc, `\`${field}\` is not a valid ${issue.format}`);
      return;
    }
    case "invalid_key": {
      out.add("invalid-name", locateIn(src, full), `name \`${field}\` is not allowed here`, nameHint(base, rel));
      return;
    }
    case "invalid_value": {
      const values = issue.values.map((v) => JSON.stringify(v)).join(", ");
      const suggestion =
        typeof (issue as any).input === "string" ? closest((issue as any).input, issue.values.map(String)) : undefined;
      out.add(
        "invalid-value",
        locateIn(src, full),
        `\`${field}\` must be one of ${values}`,
        suggestion ? `did you mean \`${suggestion}\`?` : undefined,
      );
      return;
    }
    case "too_small":
    case "too_big": {
      const word = issue.code === "too_small" ? "at least" : "at most";
      const unit = issue.origin === "string" ? " characters" : issue.origin === "array" ? " items" : "";
      out.add(
        "invalid-value",
        locateIn(src, full),
        `\`${field}\` must be ${word} ${String(issue.code === "too_small" ? issue.minimum : issue.maximum)}${unit}`,
      );
      return;
    }
    case "invalid_union":
      out.add(
        "invalid-type",
        locateIn(src, full),
        `\`${field}\` does not match any allowed form`,
        "See the schema for the accepted shapes.",
      );
      return;
    case "custom": {
      // Refinements in model/schema.ts name their own diagnostic code (duration-too-long, invalid-regex).
      const params = issue.params as { diagnostic?: DiagnosticCode; hint?: string } | undefined;
      out.add(
        params?.diagnostic ?? "invalid-value",
        locateIn(src, full),
        `\`${field}\`: ${issue.message}`,
        params?.hint,
      );
      return;
    }
    default:
      out.add("invalid-value", locateIn(src, full), `\`${field}\`: ${issue.message}`);
  }
}

/** Keys are quoted in messages; a long one (a pasted line) is cut so messages never carry much input. */
function clip(key: string): string {
  return key.length > 64 ? `${key.slice(0, 64)}…` : key;
}

function describeType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return `a ${typeof v}`;
}
function article(t: string): string {
  if (t === "object") return "a mapping";
  if (t === "array") return "a list";
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}
function hintForType(expected: string): string | undefined {
  if (expected === "string") return "Quote the value if YAML reads it as a number, boolean or date.";
  if (expected === "number") return "Write a plain number without quotes or units.";
  if (expected === "boolean") return "Use true or false.";
  return undefined;
}
function patternHint(pattern: RegExp | string | undefined): string | undefined {
  const src = typeof pattern === "string" ? pattern : (pattern?.source ?? "");
  if (src.includes(DURATION_PATTERN))
    return "Write a duration such as 30s, 5m, 24h, 90d or 1m30s (units largest first).";
  if (src.startsWith("^[A-Z][A-Z0-9_]")) return "Secret names are UPPER_SNAKE_CASE.";
  if (src.startsWith("^[a-z0-9]")) return "Names are lower-case kebab-case (a-z, 0-9, -).";
  if (src.startsWith("^[A-Z_]")) return "Environment variable names are UPPER_SNAKE_CASE.";
  return undefined;
}
function nameHint(base: (string | number)[], rel: (string | number)[]): string {
  const where = String(rel[0] ?? base[0]);
  if (where === "secrets") return "Secret names are UPPER_SNAKE_CASE, e.g. OPENAI_API_KEY.";
  if (where === "environments") return "Environment names are lower-case, e.g. staging.";
  return "Names are lower-case kebab-case (a-z, 0-9, -), e.g. shopify-admin.";
}

export async function loadProject(root: string, options: LoadOptions = {}): Promise<LoadResult> {
  const absRoot = path.resolve(root);
  const out = new Collector();
  const now = options.now ?? todayUtc();
  const model = emptyModel();
  const sources = new SourceMap();
  let realRoot = absRoot;
  try {
    realRoot = await realpath(absRoot);
  } catch {
    out.add(
      "no-manifests",
      { file: toPosix(root), line: 1, col: 1 },
      "project root does not exist",
      "Pass --root with the folder that holds tollgate.yaml.",
    );
  }
  const reader: FileReader = {
    root: absRoot,
    realRoot,
    displayBase: options.displayBase ?? process.cwd(),
    maxBytes: DEFAULT_MAX_FILE_BYTES,
    maxDepth: DEFAULT_MAX_DEPTH,
    out,
  };

  // Project configuration first: it names the manifest folders and the limits.
  let config = ProjectConfig.parse({});
  let configLocation: SourceFile | undefined;
  let rawConfig: unknown;
  const configPath = path.join(absRoot, CONFIG_FILE);
  if (await exists(configPath)) {
    const read = await parseFile(reader, configPath, out);
    if (read) {
      configLocation = read.src;
      rawConfig = read.data;
      const parsed = ProjectConfig.safeParse(read.data, { reportInput: true });
      if (parsed.success) config = parsed.data;
      else for (const i of parsed.error.issues) issueToDiagnostic(out, read.src, ProjectConfig, [], i, read.data);
    }
  }
  reader.maxBytes = config.limits?.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  reader.maxDepth = config.limits?.maxDepth ?? DEFAULT_MAX_DEPTH;
  // Keys change with the version and with every option that changes what parsing gives.
  if (options.cache)
    reader.cache = { dir: options.cache.dir, salt: `${version()}\u0000${reader.maxDepth}\u0000${reader.maxBytes}` };
  const cacheStats: CacheStats | undefined = reader.cache ? { hits: 0, misses: 0, writes: 0 } : undefined;
  // This thread's counters before loading (the cache object is shared by loads in one process).
  const before = reader.cache ? { ...cacheFor(reader.cache).stats } : undefined;
  model.organization = config.organization;

  // Configured paths must resolve inside the root; explicitly configured ones must exist.
  const at = (key: string, index?: number): Location =>
    configLocation && hasPath(rawConfig, index === undefined ? [key] : [key, index])
      ? locateIn(configLocation, index === undefined ? [key] : [key, index])
      : { file: display(reader, configPath), line: 1, col: 1 };
  const explicitManifests = hasPath(rawConfig, ["manifests"]);
  const files: string[] = [];
  const walked = new Set<string>();
  for (const [i, dir] of config.manifests.entries()) {
    const abs = await resolveConfigured(reader, "manifests", dir, at("manifests", i), {
      required: explicitManifests,
      kind: "folder",
    });
    if (abs) await listYaml(reader, abs, files, walked);
  }
  if (config.waivers)
    reader.waiversPath = await resolveConfigured(reader, "waivers", config.waivers, at("waivers"), {
      required: true,
      kind: "file",
    });
  if (config.customPolicies)
    await resolveConfigured(reader, "customPolicies", config.customPolicies, at("customPolicies"), {
      required: true,
      kind: "folder",
    });
  if (files.length === 0 && out.diagnostics.length === 0) {
    out.add(
      "no-manifests",
      { file: toPosix(path.relative(reader.displayBase, absRoot) || "."), line: 1, col: 1 },
      `no manifest files in ${config.manifests.join(", ")}`,
      "Create manifests/*.yaml, or set `manifests:` in tollgate.yaml.",
    );
  }

  // Names declared anywhere, even in entries that failed validation: references to them resolve.
  const declared: Record<Section, Set<string>> = Object.fromEntries(SECTIONS.map((s) => [s, new Set<string>()])) as any;
  const workers = await chooseWorkers(files, options.workers);
  /** Validates one parsed file's sections and entries into the model (file order decides duplicates). */
  const validate = (read: { src: SourceFile; data: unknown }): void => {
    const { src, data } = read;
    if (data === null || typeof data !== "object" || Array.isArray(data)) {
      out.add(
        "invalid-type",
        locateIn(src, []),
        "a manifest file must be a mapping of sections",
        `Start with one of: ${SECTIONS.join(", ")}.`,
      );
      return;
    }
    // Shape of the file itself (sections and their keys), entries validated one by one below.
    const obj = data as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (!(SECTIONS as readonly string[]).includes(key)) {
        out.add(
          "unknown-key",
          locateIn(src, [key]),
          `unknown section \`${clip(key)}\``,
          didYouMean(key, SECTIONS) ?? `sections: ${SECTIONS.join(", ")}`,
        );
      }
    }
    for (const section of SECTIONS) {
      const body = obj[section];
      if (body === undefined) continue;
      if (body === null || typeof body !== "object" || Array.isArray(body)) {
        out.add(
          "invalid-type",
          locateIn(src, [section]),
          `\`${section}\` must be a mapping of names to entries`,
          `Write \`${section}:\` followed by indented \`name:\` blocks.`,
        );
        continue;
      }
      const keyCheck = (ManifestFile.shape[section] as any).unwrap().def.keyType as z.ZodType;
      const schema = ENTRY_SCHEMAS[section];
      const entries = body as Record<string, unknown>;
      for (const name of Object.keys(entries)) {
        const entry = entries[name];
        // Let go of the raw entry as soon as it is validated (it dies young instead of being copied
        // by every scavenge until the whole file is done).
        entries[name] = undefined;
        if (!keyCheck.safeParse(name).success) {
          out.add(
            "invalid-name",
            locateIn(src, [section, name]),
            `name \`${name}\` is not allowed in ${section}`,
            nameHint([section], []),
          );
          continue;
        }
        const first = sources.fileOf(section, name);
        if (first) {
          const at = locateIn(first, [section, name]);
          const loc = locateIn(src, [section, name]);
          out.add(
            "duplicate-name",
            loc,
            `${section} \`${name}\` is already declared`,
            "names must be unique across files",
          );
          const d = out.diagnostics[out.diagnostics.length - 1]!;
          out.afterResolve.push(
            () => (d.hint = `First declared at ${at.file}:${at.line}:${at.col}; names must be unique across files.`),
          );
          continue;
        }
        declared[section].add(name);
        sources.set(section, name, src);
        // Without reportInput first: that option makes zod 2-3x slower on every entry, and only the
        // issues of an invalid entry need it (then it is parsed again, with it).
        const parsed = schema.safeParse(entry);
        if (!parsed.success) {
          const again = schema.safeParse(entry, { reportInput: true });
          for (const i of again.error!.issues) issueToDiagnostic(out, src, schema, [section, name], i, entry);
          continue;
        }
        (model[section] as Map<string, unknown>).set(name, parsed.data);
      }
    }
  };
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
      if (read) validate(read);
    }
  } else {
    // One file at a time, validated as soon as it is parsed: only one file's raw values are alive
    // at once (they were all alive together before validation started: most of the peak memory).
    // Diagnostics are sorted by file first, and each file's come in the same order as before.
    for (const [i, f] of files.entries()) {
      options.progress?.("loading manifests", i, files.length);
      const read = await parseFile(reader, f, out);
      if (read) validate(read);
    }
    options.progress?.("loading manifests", files.length, files.length);
  }
  sortModel(model);

  // Dates: real calendar dates were checked by the schema; the future is relative to --now.
  for (const [name, secret] of model.secrets) {
    for (const [env, placement] of Object.entries(secret.environments)) {
      if (!placement.lastRotated || !isRealDate(placement.lastRotated) || placement.lastRotated <= now) continue;
      const at = sources.locate("secrets", name, ["environments", env, "lastRotated"])!;
      // One day ahead is a local date east of UTC (rotated this morning in Tokyo): a note, not an error.
      if (daysBetween(now, placement.lastRotated) <= 1)
        out.add(
          "date-ahead-of-now",
          at,
          `lastRotated ${placement.lastRotated} is one day after ${now}; accepted as a local date east of UTC`,
          "Nothing to do if that is today where the rotation happened; otherwise fix the date.",
          "note",
        );
      else
        out.add(
          "date-in-future",
          at,
          `lastRotated ${placement.lastRotated} is after ${now}`,
          "A rotation cannot have happened in the future (one day ahead is accepted for time zones east of UTC): fix the date, or pass the right --now.",
        );
    }
  }

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

async function loadWaivers(reader: FileReader, absRoot: string, config: ProjectConfigT): Promise<LocatedWaiver[]> {
  // A configured waivers file was checked (inside the root, a regular file) before; refused → not read.
  if (config.waivers && !reader.waiversPath) return [];
  const file = reader.waiversPath ?? path.resolve(absRoot, DEFAULT_WAIVERS_FILE);
  if (!(await exists(file))) return [];
  const read = await parseFile(reader, file, reader.out);
  if (!read) return [];
  // Not a waivers file at all: say so once, without quoting what it holds.
  if (
    read.data === null ||
    typeof read.data !== "object" ||
    Array.isArray(read.data) ||
    !Object.prototype.hasOwnProperty.call(read.data, "waivers")
  ) {
    reader.out.add(
      "invalid-type",
      locateIn(read.src, []),
      "this is not a waivers file: it must be a mapping with a `waivers:` list",
      `See ${docsUrl("policies.md", "waivers")} for the waivers file format.`,
    );
    return [];
  }
  const parsed = WaiversFile.safeParse(read.data, { reportInput: true });
  if (!parsed.success) {
    for (const i of parsed.error.issues) issueToDiagnostic(reader.out, read.src, WaiversFile, [], i, read.data);
    return [];
  }
  return parsed.data.waivers.map((w, i) => ({ ...w, location: locateIn(read.src, ["waivers", i]) }));
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

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

export type { Document };
