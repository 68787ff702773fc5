/**
 * Reads stay inside the project root: every path tollgate.yaml configures (manifests, waivers,
 * customPolicies) is resolved with realpath and must lie inside the root's realpath, and the
 * manifest folders are walked without following links out of the root or round a loop. Whatever
 * is skipped is reported (path-not-found, path-outside-root, symlink-broken, file-unreadable), so
 * nothing is dropped silently.
 *
 * Over ~250 lines (Biome, 120 columns) on purpose: every read of a configured path goes through these few checks (realpath, root containment, regular files), kept in one place on purpose.
 */
import type { Dirent } from "node:fs";
import { lstat, readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { DiagnosticCode } from "../model/diagnostics.js";
import { display } from "./display-path.js";
import type { ReaderConfig } from "./parse/parse-types.js";
import type { Location } from "./source-map.js";
import { closest } from "../util/suggest.js";

export interface PathSink {
  add(code: DiagnosticCode, loc: Location, message: string, hint?: string): void;
}

export interface PathReader extends ReaderConfig {
  root: string;
  out: PathSink;
}

export function isInsideOrSame(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

function errCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException)?.code;
}

/**
 * Resolves `rel` (from tollgate.yaml, reported at `loc`) against the root. Returns the absolute path
 * when it exists, lies inside the root and has the expected kind; otherwise reports and returns
 * undefined. A missing path is reported only when `required` (defaults may be absent).
 */
export async function resolveConfigured(
  r: PathReader,
  key: string,
  rel: string,
  loc: Location,
  opts: { required: boolean; kind: "folder" | "file" | "any" },
): Promise<string | undefined> {
  const abs = path.resolve(r.root, rel);
  const outside = () =>
    r.out.add(
      "path-outside-root",
      loc,
      `\`${key}\` ${JSON.stringify(rel)} resolves outside the project root`,
      "Keep manifests, waivers and custom policies inside the project (no `..`, absolute paths or links out).",
    );
  let real: string;
  try {
    real = await realpath(abs);
  } catch (e) {
    const code = errCode(e);
    // Even a missing path is refused when it would lie outside (custom policies are code).
    if (!isInsideOrSame(await realOfExisting(abs), r.realRoot)) {
      outside();
      return undefined;
    }
    if (code === "ELOOP")
      r.out.add(
        "symlink-broken",
        loc,
        `\`${key}\` ${JSON.stringify(rel)} is a symlink loop`,
        "Point the link at a real file or folder inside the project.",
      );
    else if (code === "EACCES" || code === "EPERM")
      r.out.add(
        "file-unreadable",
        loc,
        `\`${key}\` ${JSON.stringify(rel)} cannot be read (permission denied)`,
        "Make it readable by the user running tollgate.",
      );
    else if (await isDanglingLink(abs))
      r.out.add(
        "symlink-broken",
        loc,
        `\`${key}\` ${JSON.stringify(rel)} is a symlink whose target does not exist`,
        "Point the link at a real file or folder inside the project.",
      );
    else if (opts.required)
      r.out.add(
        "path-not-found",
        loc,
        `\`${key}\` ${JSON.stringify(rel)} does not exist`,
        await suggestSibling(abs, r.root),
      );
    return undefined;
  }
  if (!isInsideOrSame(real, r.realRoot)) {
    outside();
    return undefined;
  }
  const s = await stat(real);
  if (opts.kind === "folder" && !s.isDirectory()) {
    r.out.add(
      "path-not-found",
      loc,
      `\`${key}\` ${JSON.stringify(rel)} is not a folder`,
      "Name a folder of manifest YAML files.",
    );
    return undefined;
  }
  if (opts.kind === "file" && !s.isFile()) {
    r.out.add("file-unreadable", loc, `\`${key}\` ${JSON.stringify(rel)} is not a regular file`, "Name a YAML file.");
    return undefined;
  }
  return abs;
}

/** realpath of the deepest existing ancestor joined with the rest. */
export async function realOfExisting(p: string): Promise<string> {
  const rest: string[] = [];
  for (let cur = p; ; cur = path.dirname(cur)) {
    try {
      return path.join(await realpath(cur), ...rest);
    } catch {
      if (path.dirname(cur) === cur) return p;
      rest.unshift(path.basename(cur));
    }
  }
}

async function isDanglingLink(abs: string): Promise<boolean> {
  try {
    return (await lstat(abs)).isSymbolicLink();
  } catch {
    return false;
  }
}

async function suggestSibling(abs: string, root: string): Promise<string> {
  const dir = path.dirname(abs);
  try {
    const names = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory() || e.isFile())
      .map((e) => e.name);
    const near = closest(path.basename(abs), names);
    if (near)
      return `did you mean ${JSON.stringify(path.relative(root, path.join(dir, near)).split(path.sep).join("/"))}?`;
  } catch {
    /* no hint */
  }
  return "Check the spelling; paths are relative to the folder that holds tollgate.yaml.";
}

/**
 * Lists *.yaml/*.yml under `dir` in a stable order. Links are followed only to targets inside the
 * root; each real folder is walked once (a link back up is a loop and is reported); unreadable
 * folders and dangling links are reported.
 */
export async function listYaml(
  r: PathReader,
  dir: string,
  out: string[],
  seen = new Set<string>(),
  ancestors: string[] = [],
): Promise<void> {
  let real: string;
  let entries: Dirent[];
  try {
    real = await realpath(dir);
    if (seen.has(real)) {
      if (ancestors.includes(real))
        r.out.add(
          "symlink-broken",
          top(r, dir),
          "symlinked folder loops back to a folder that contains it",
          "Remove the link; each folder is read once.",
        );
      return;
    }
    seen.add(real);
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    r.out.add(
      "file-unreadable",
      top(r, dir),
      `folder could not be read (${reason(e)})`,
      "Make it readable by the user running tollgate, or move it out of the manifest folders.",
    );
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) await listYaml(r, abs, out, seen, [...ancestors, real]);
    else if (e.isSymbolicLink()) {
      let target: string;
      try {
        target = await realpath(abs);
      } catch (err) {
        // A broken link named like a manifest, or like a folder, hides manifests; others are not ours.
        if (!/\.ya?ml$/i.test(e.name) && e.name.includes(".")) continue;
        const loop = errCode(err) === "ELOOP";
        r.out.add(
          "symlink-broken",
          top(r, abs),
          loop ? "symlink loop" : "symlink target does not exist",
          "Fix or remove the link.",
        );
        continue;
      }
      if (!isInsideOrSame(target, r.realRoot)) {
        r.out.add(
          "file-outside-root",
          top(r, abs),
          "symlink points outside the project root",
          "Copy the file into the project instead of linking to it.",
        );
        continue;
      }
      const s = await stat(target);
      if (s.isDirectory()) await listYaml(r, abs, out, seen, [...ancestors, real]);
      else if (/\.ya?ml$/i.test(e.name) && !seen.has(target)) {
        seen.add(target);
        out.push(abs);
      }
    } else if (!e.isFile() && /\.ya?ml$/i.test(e.name)) {
      r.out.add(
        "file-unreadable",
        top(r, abs),
        "not a regular file (a device, FIFO or socket)",
        "Manifests are regular files; remove or rename this entry.",
      );
    } else if (e.isFile() && /\.ya?ml$/i.test(e.name)) {
      const target = path.join(real, e.name);
      if (seen.has(target)) continue;
      seen.add(target);
      out.push(abs);
    }
  }
}

function top(r: PathReader, abs: string): Location {
  return { file: display(r, abs), line: 1, col: 1 };
}

function reason(e: unknown): string {
  const code = errCode(e);
  return code === "EACCES" || code === "EPERM"
    ? "permission denied"
    : code === "ELOOP"
      ? "symlink loop"
      : (code ?? "unknown error");
}
