/**
 * One parsed manifest file into the model: its sections, each entry's name (unique across files)
 * and schema; then the dates that depend on --now. Names are declared even for entries that fail
 * validation, so references to them resolve.
 */
import type { z } from "zod";
import { daysBetween, isRealDate } from "../model/dates.js";
import type { Model } from "../model/model.js";
import { SECTION, SECTIONS, type Section } from "../model/sections.js";
import { didYouMean } from "../util/suggest.js";
import type { Collector } from "./collector.js";
import { clip, issueToDiagnostic, nameHint } from "./issues.js";
import { locateIn, type SourceFile, type SourceMap } from "./source-map.js";

export interface ValidateTarget {
  out: Collector;
  model: Model;
  sources: SourceMap;
  declared: Record<Section, Set<string>>;
}

/** Validates one parsed file's sections and entries into the model (file order decides duplicates). */
export function validateManifest(read: { src: SourceFile; data: unknown }, target: ValidateTarget): void {
  const { out, model, sources, declared } = target;
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
    const keyCheck: z.ZodType = SECTION[section].name;
    const schema: z.ZodType = SECTION[section].entry;
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
}

/** Rotation dates after --now: one day ahead is a time zone east of UTC (a note), more is an error. */
export function checkDates(model: Model, sources: SourceMap, out: Collector, now: string): void {
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
}
