/** The waivers file (configured, or waivers.yaml when present), each waiver with its location. */
import path from "node:path";
import type { ProjectConfigT, WaiverT } from "../model/schema.js";
import { WaiversFile } from "../model/schema.js";
import { docsUrl } from "../util/project-url.js";
import type { FileReader } from "./collector.js";
import { exists } from "./config.js";
import { issueToDiagnostic } from "./issues.js";
import { parseFile } from "./parse/parse-file.js";
import { locateIn, type Location } from "./source-map.js";

export const DEFAULT_WAIVERS_FILE = "waivers.yaml";

export interface LocatedWaiver extends WaiverT {
  location: Location;
}

export async function loadWaivers(
  reader: FileReader,
  absRoot: string,
  config: ProjectConfigT,
): Promise<LocatedWaiver[]> {
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
