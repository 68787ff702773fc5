/**
 * The action's inputs (INPUT_* variables set by action.yml) and the pull request from the event
 * payload, turned into one `tollgate check` command line. Pure: tested without GitHub.
 */
import { readFile } from "node:fs/promises";

export interface ActionInputs {
  root: string;
  env?: string;
  base?: string;
  now?: string;
  formats: string[];
  failOn?: string;
  minScore?: string;
  failOnNew: boolean;
  maxDrop?: string;
  comment: boolean;
  sarif: boolean;
}

export interface PullRequest {
  number: number;
  baseSha: string;
  baseRef: string;
}

const input = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const v = env[`INPUT_${name.toUpperCase().replace(/-/g, "_")}`]?.trim();
  return v ? v : undefined;
};

const bool = (env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean => {
  const v = input(env, name);
  if (v === undefined) return fallback;
  if (/^(true|yes|1|on)$/i.test(v)) return true;
  if (/^(false|no|0|off)$/i.test(v)) return false;
  throw new Error(`input ${name} must be true or false (got ${JSON.stringify(v)})`);
};

export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const opt = (name: string) => input(env, name);
  const o: ActionInputs = {
    root: opt("root") ?? ".",
    // Extra formats, FMT=FILE, separated by spaces, commas or lines.
    formats: (opt("formats") ?? "").split(/[\s,]+/).filter(Boolean),
    failOnNew: bool(env, "fail-on-new", true),
    comment: bool(env, "comment", true),
    sarif: bool(env, "sarif", true),
  };
  for (const [key, name] of [
    ["env", "env"],
    ["base", "base"],
    ["now", "now"],
    ["failOn", "fail-on"],
    ["minScore", "min-score"],
    ["maxDrop", "max-drop"],
  ] as const) {
    const v = opt(name);
    if (v !== undefined) o[key] = v;
  }
  return o;
}

/** The pull request this run is for, from GITHUB_EVENT_PATH; undefined for pushes and the like. */
export async function readPullRequest(env: NodeJS.ProcessEnv): Promise<PullRequest | undefined> {
  if (!env.GITHUB_EVENT_PATH) return undefined;
  let event: any;
  try {
    event = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8"));
  } catch {
    return undefined;
  }
  const pr = event?.pull_request;
  if (!pr || !Number.isInteger(pr.number) || typeof pr.base?.sha !== "string") return undefined;
  return { number: pr.number, baseSha: pr.base.sha, baseRef: String(pr.base.ref ?? "") };
}

/** The check command line: annotations on standard output, Markdown (and SARIF) to files. */
export function checkArgs(
  o: ActionInputs,
  base: string | undefined,
  files: { markdown: string; json: string; sarif?: string },
): string[] {
  const args = [
    "check",
    "--root",
    o.root,
    "--format",
    "github",
    "--format",
    `markdown=${files.markdown}`,
    "--format",
    `json=${files.json}`,
  ];
  if (files.sarif) args.push("--format", `sarif=${files.sarif}`);
  for (const f of o.formats) {
    if (!f.includes("="))
      throw new Error(
        `input formats: ${JSON.stringify(f)} needs a file (FMT=FILE); standard output carries the annotations`,
      );
    args.push("--format", f);
  }
  if (o.env) args.push("--env", o.env);
  if (o.now) args.push("--now", o.now);
  if (base) {
    args.push("--base", base);
    if (o.failOnNew) args.push("--fail-on-new");
    if (o.maxDrop) args.push("--max-drop", o.maxDrop);
  }
  if (o.failOn) args.push("--fail-on", o.failOn);
  if (o.minScore) args.push("--min-score", o.minScore);
  return args;
}
