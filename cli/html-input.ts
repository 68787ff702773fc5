/** `check --format html`: reads --probe-results and prepares the report's extra inputs (graph, forecast, waivers). */
import { readFile } from "node:fs/promises";
import type { Project } from "../load/loader.js";
import type { Report } from "../policies/engine.js";
import type { HtmlInput } from "../report/html/index.js";
import { createHash } from "node:crypto";
import { parseProbeResults, prepareHtml, type ProbeHealth } from "../report/html/prepare.js";
import { UsageError } from "./common.js";

const HINT = "Save one with: tollgate probe --env NAME --format json --output probe.json";

/** The --probe-results file: its parsed evidence (policies read it) and its bytes' hash (the cache key). */
export async function readProbeResults(probeFile: string): Promise<{ value: ProbeHealth; hash: string }> {
  let text: string;
  try {
    text = await readFile(probeFile, "utf8");
  } catch {
    throw new UsageError(`--probe-results ${probeFile}: cannot read the file`, HINT);
  }
  const probe = parseProbeResults(text);
  if ("error" in probe) throw new UsageError(`--probe-results ${probeFile}: ${probe.error}`, HINT);
  return { value: probe, hash: createHash("sha256").update(text).digest("hex") };
}

export async function htmlInput(project: Project, report: Report, probeFile: string | undefined): Promise<HtmlInput> {
  let probe;
  if (probeFile !== undefined) {
    let text: string;
    try {
      text = await readFile(probeFile, "utf8");
    } catch {
      throw new UsageError(`--probe-results ${probeFile}: cannot read the file`, HINT);
    }
    probe = parseProbeResults(text);
    if ("error" in probe) throw new UsageError(`--probe-results ${probeFile}: ${probe.error}`, HINT);
  }
  return prepareHtml(project, report, probe);
}
