import type { Diagnostic } from "../model/diagnostics.js";
import { createProgress, getVerbosity } from "../util/progress.js";
import { formatEntry, formatNames } from "../util/format-table.js";
import { VALIDATE_FORMATS } from "../report/validate.js";
import { reportCacheStats, resolveCache } from "../assess/cache/cache-option.js";
import { EXIT_INPUT, EXIT_OK, colorsFor, emit, parseFormats, parseNow, version } from "./common.js";
import { ResultCache, storable } from "../assess/cache/result-cache.js";
import { plural } from "../util/plural.js";

/** What validate prints, and what its result-cache entry holds (only for a valid project). */
interface Validated {
  ok: boolean;
  diagnostics: Diagnostic[];
  files: number;
  counts: string;
}

export interface ValidateOptions {
  root: string;
  /** `text` or `json`, each optionally `=FILE`; repeatable like check's. */
  format?: string[] | string;
  now?: string;
  cache?: boolean;
  cacheLocation?: string;
}

export async function validateCommand(opts: ValidateOptions): Promise<number> {
  const formats = parseFormats(
    typeof opts.format === "string" ? [opts.format] : opts.format,
    formatNames(VALIDATE_FORMATS),
    "text",
  );
  const now = parseNow(opts.now);
  const cache = await resolveCache(opts);
  const progress = createProgress("tollgate validate");
  const started = Date.now();
  const results = cache ? new ResultCache(cache.dir, version()) : undefined;
  const parts = { command: "validate", now };
  let result: Validated;
  try {
    const state = results && (await results.prepare(opts.root, process.cwd()));
    const hit = state && (await results!.get<Validated>(state, parts))?.value;
    if (hit?.ok === true && Array.isArray(hit.diagnostics)) {
      result = hit;
      if (process.env.TOLLGATE_CACHE_STATS === "1") process.stderr.write("tollgate: cache: result hit\n");
    } else {
      const { loadProject } = await import("../load/loader.js");
      const loaded = await loadProject(opts.root, {
        now,
        cache,
        progress: (note, done, total) => progress.update(done, total || undefined, note),
      });
      const { project, cacheStats } = loaded;
      reportCacheStats(cacheStats);
      const { policyConfigDiagnostics } = await import("../policies/config-check.js");
      const { sortDiagnostics } = await import("../model/diagnostics.js");
      const policyDiags = await policyConfigDiagnostics(project, loaded.diagnostics);
      const diagnostics = policyDiags.length
        ? sortDiagnostics([...loaded.diagnostics, ...policyDiags])
        : loaded.diagnostics;
      const ok = loaded.ok && !policyDiags.some((d) => d.severity === "error");
      const m = project.model;
      const counts = [
        plural(m.environments.size, "environment"),
        plural(m.services.size, "service"),
        plural(m.secrets.size, "secret"),
        plural(m.apis.size, "API"),
        plural(m.webhooks.size, "webhook"),
        plural(m.alerts.size, "alert"),
        plural(m.channels.size, "channel"),
      ].join(", ");
      result = { ok, diagnostics, files: project.files.length, counts };
      if (results && state) {
        const c = project.config;
        const stored =
          ok &&
          storable(diagnostics) &&
          (await results.store(
            opts.root,
            process.cwd(),
            state,
            { manifests: c.manifests, waivers: c.waivers, customPolicies: c.customPolicies },
            [{ parts, value: result }],
          ));
        if (process.env.TOLLGATE_CACHE_STATS === "1")
          process.stderr.write(`tollgate: cache: result ${stored ? "stored" : "not stored"}\n`);
      }
    }
  } finally {
    progress.done();
  }
  const { diagnostics, ok, files } = result;
  if (getVerbosity() === "verbose")
    process.stderr.write(`tollgate: loaded ${files} files in ${Date.now() - started} ms\n`);
  for (const target of formats) {
    const ctx = {
      ok,
      diagnostics,
      files,
      counts: result.counts,
      colors: colorsFor(target),
      quiet: getVerbosity() === "quiet",
      toFile: !!target.file,
    };
    await emit(target, await formatEntry(VALIDATE_FORMATS, target.format).render(ctx));
  }
  return ok ? EXIT_OK : EXIT_INPUT;
}
