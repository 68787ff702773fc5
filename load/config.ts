/**
 * tollgate.yaml: read once per run with positions, and the folders and files it names resolved
 * inside the root (explicitly configured ones must exist). `loadConfig` is for commands that need
 * only the configuration (`tollgate policies`), not the manifests.
 */
import { lstat, realpath } from "node:fs/promises";
import path from "node:path";
import type { Diagnostic } from "../model/diagnostics.js";
import { ProjectConfig, type ProjectConfigT } from "../model/schema.js";
import { Collector, type FileReader } from "./collector.js";
import { hasPath, issueToDiagnostic } from "./issues.js";
import { display, parseFile, toPosix } from "./parse/parse-file.js";
import { listYaml, resolveConfigured } from "./project-paths.js";
import { locateIn, type Location, type SourceFile } from "./source-map.js";

export const CONFIG_FILE = "tollgate.yaml";
export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 64;

export interface ReadConfig {
  config: ProjectConfigT;
  configLocation: SourceFile | undefined;
  rawConfig: unknown;
  configPath: string;
}

/**
 * The configuration (defaults when there is no tollgate.yaml), its file limits applied to the
 * reader; its problems go to the reader's collector.
 */
export async function readProjectConfig(reader: FileReader, absRoot: string): Promise<ReadConfig> {
  let config = ProjectConfig.parse({});
  let configLocation: SourceFile | undefined;
  let rawConfig: unknown;
  const configPath = path.join(absRoot, CONFIG_FILE);
  if (await exists(configPath)) {
    const read = await parseFile(reader, configPath, reader.out);
    if (read) {
      configLocation = read.src;
      rawConfig = read.data;
      const parsed = ProjectConfig.safeParse(read.data, { reportInput: true });
      if (parsed.success) config = parsed.data;
      else
        for (const i of parsed.error.issues) issueToDiagnostic(reader.out, read.src, ProjectConfig, [], i, read.data);
    }
  }
  reader.maxBytes = config.limits?.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  reader.maxDepth = config.limits?.maxDepth ?? DEFAULT_MAX_DEPTH;
  return { config, configLocation, rawConfig, configPath };
}

/**
 * The manifest files of the configured folders (unless `listFiles` is false: then only the
 * folders are checked); checks the configured waivers file and custom policy folder (the waivers
 * path is kept on the reader).
 */
export async function configuredPaths(
  reader: FileReader,
  config: ProjectConfigT,
  rawConfig: unknown,
  configLocation: SourceFile | undefined,
  configPath: string,
  listFiles = true,
): Promise<string[]> {
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
    if (abs && listFiles) await listYaml(reader, abs, files, walked);
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
  return files;
}

/** A reader for `root` with the default limits, or a diagnostic when the root does not exist. */
export async function readerFor(root: string, displayBase: string | undefined, out: Collector): Promise<FileReader> {
  const absRoot = path.resolve(root);
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
  return {
    root: absRoot,
    realRoot,
    displayBase: displayBase ?? process.cwd(),
    maxBytes: DEFAULT_MAX_FILE_BYTES,
    maxDepth: DEFAULT_MAX_DEPTH,
    out,
  };
}

/** Only tollgate.yaml (and the paths it names), for commands that do not read the manifests. */
export async function loadConfig(
  root: string,
  options: { displayBase?: string } = {},
): Promise<{ root: string; config: ProjectConfigT; diagnostics: Diagnostic[] }> {
  const out = new Collector();
  const reader = await readerFor(root, options.displayBase, out);
  const { config, rawConfig, configLocation, configPath } = await readProjectConfig(reader, reader.root);
  // The manifest folders are checked, their files not read: manifest problems are not config problems.
  await configuredPaths(reader, config, rawConfig, configLocation, configPath, false);
  return { root: reader.root, config, diagnostics: out.finish() };
}

export async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}
