/**
 * The differential check shared by the fast-path tests: whenever the fast path (load/parse/fast-yaml.ts)
 * accepts a text, values, diagnostics (secret findings included), remembered secret values and the
 * position of every path (and of near misses) must equal the full yaml path's.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import type { Diagnostic } from "../../model/diagnostics.js";
import { fastParse } from "../../load/parse/fast-yaml.js";
import { parseText, type FileOutput, type ReaderConfig } from "../../load/parse/parse-file.js";
import type { Location } from "../../load/source-map.js";

export const reader: ReaderConfig = { realRoot: "/", displayBase: "/", maxBytes: 1 << 30, maxDepth: 64 };

export class Out implements FileOutput {
  readonly diagnostics: Diagnostic[] = [];
  readonly secrets: string[] = [];
  add(code: Diagnostic["code"], loc: Location, message: string, hint?: string): void {
    this.diagnostics.push({
      code,
      severity: "error",
      message,
      hint: hint ?? "",
      file: loc.file,
      line: loc.line,
      col: loc.col,
    });
  }
  rememberSecret(v: string): void {
    this.secrets.push(v);
  }
}

/** Every path into the value, plus a missing child under each (locate falls back to the ancestor). */
export function paths(
  v: unknown,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(prefix, [...prefix, "no-such-key"], [...prefix, 99], [...prefix, "0"], [...prefix, ""]);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      paths(x, [...prefix, k], out);
      // Near misses of a key (a prefix of it, or it followed by its own `: value` text) must not match it.
      out.push([...prefix, k.slice(0, -1)], [...prefix, `${k}: ${String(x)}`], [...prefix, `${k}:`]);
    }
  }
  return out;
}

const sortD = (ds: Diagnostic[]) =>
  [...ds].sort((a, b) => a.line - b.line || a.col - b.col || a.message.localeCompare(b.message));

/** Returns whether the fast path took the text; if it did, asserts both paths agree exactly. */
export async function agree(text: string): Promise<boolean> {
  if (!fastParse(text, reader.maxDepth)) return false;
  const fo = new Out();
  const so = new Out();
  const fast = await parseText(reader, "f.yaml", text, fo, "auto");
  const full = await parseText(reader, "f.yaml", text, so, "full");
  expect(full, `full path refused what the fast path took:\n${text}`).toBeDefined();
  expect(JSON.stringify(fast!.data)).toBe(JSON.stringify(full!.data));
  expect(fast!.data).toEqual(full!.data);
  expect(sortD(fo.diagnostics)).toEqual(sortD(so.diagnostics));
  expect([...new Set(fo.secrets)].sort()).toEqual([...new Set(so.secrets)].sort());
  for (const p of paths(full!.data)) expect(fast!.src.locate(p), JSON.stringify(p)).toEqual(full!.src.locate(p));
  return true;
}

export function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== "node_modules" && e.name !== "dist" && !e.name.startsWith(".")) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}
