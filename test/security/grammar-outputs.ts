/**
 * Reads a synth output back the way its consumers do: YAML and JSON by their parsers, Prometheus,
 * Alertmanager and blackbox files by their own tools, Go templates rendered by amtool, and the
 * crontab by cron's rules (a line per job, `%` handling) and a real /bin/sh that records the argv
 * each job would run. Returns every string a consumer would see, for the round-trip check.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { requireTool, run } from "../helpers/tools.js";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Every string (keys included) in parsed data. */
function strings(v: unknown, out: string[]): void {
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === "object")
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      strings(x, out);
    }
}

/** What vixie cron and cronie hand to the shell (do_command.c): `\%` is `%`, a bare `%` ends the command. */
export function cronCommand(line: string): { shell: string; stdin: string | undefined } {
  let shell = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "\\" && line[i + 1] === "%") {
      shell += "%";
      i++;
    } else if (c === "\\") {
      shell += c + (line[i + 1] ?? "");
      i++;
    } else if (c === "%") return { shell, stdin: line.slice(i + 1) };
    else shell += c;
  }
  return { shell, stdin: undefined };
}

/**
 * A Terraform JSON string as Terraform reads it (a template): `$${` and `%%{` are the literal `${`
 * and `%{`; any other `${` or `%{` would be an expression, which no generated string may hold.
 */
export function terraformString(s: string): { text: string; expression: boolean } {
  let text = "";
  for (let i = 0; i < s.length; i++) {
    const two = s.slice(i, i + 3);
    if (two === "$${" || two === "%%{") {
      text += two.slice(1);
      i += 2;
    } else if (s.startsWith("${", i) || s.startsWith("%{", i)) return { text, expression: true };
    else text += s[i];
  }
  return { text, expression: false };
}

/** Every string of Terraform JSON as Terraform reads it; a string holding an expression is a problem. */
function terraformStrings(v: unknown, problems: string[], rel: string): unknown {
  if (typeof v === "string") {
    const t = terraformString(v);
    if (t.expression) problems.push(`${rel}: Terraform would evaluate an expression in ${JSON.stringify(v)}`);
    return t.text;
  }
  if (Array.isArray(v)) return v.map((x) => terraformStrings(x, problems, rel));
  if (v && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, terraformStrings(x, problems, rel)]));
  return v;
}

export interface CronJobRun {
  schedule: string;
  /** Each command the line ran: `cd` with its argument, then the job's argv. */
  calls: string[][];
  stdin: string | undefined;
}

/** Runs each job line of a crontab in /bin/sh, with `cd` and the job's program replaced by recorders. */
export function runCrontab(crontab: string, scratch: string, program: string): CronJobRun[] {
  const lines = crontab.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#") && !/^[A-Z_]+=/.test(l));
  const bin = path.join(scratch, "bin");
  mkdirSync(bin, { recursive: true });
  // The program may be named anything the manifests allow: found on PATH, or (with a slash) from
  // the shell's working folder, the scratch folder, since `cd` only records.
  const recorder = path.resolve(program.includes("/") ? scratch : bin, program);
  if (!recorder.startsWith(`${scratch}/`)) throw new Error(`program ${program} would lie outside the scratch folder`);
  mkdirSync(path.dirname(recorder), { recursive: true });
  writeFileSync(recorder, '#!/bin/sh\nprintf \'%s\\0\' "$0" "$@" >> "$ARGV_OUT"\nprintf \'\\n\' >> "$ARGV_OUT"\n');
  chmodSync(recorder, 0o755);
  return lines.map((line, i) => {
    const m = /^(\S+ \S+ \S+ \S+ \S+) (.*)$/.exec(line);
    if (!m) return { schedule: "", calls: [[`not a cron job line: ${line}`]], stdin: undefined };
    const { shell, stdin } = cronCommand(m[2]!);
    const out = path.join(scratch, `argv-${i}`);
    writeFileSync(out, "");
    const prelude = `cd() { printf '%s\\0' cd "$@" >> "$ARGV_OUT"; printf '\\n' >> "$ARGV_OUT"; }\n`;
    const r = spawnSync("/bin/sh", ["-c", prelude + shell], {
      cwd: scratch,
      env: { PATH: `${bin}:/usr/bin:/bin`, ARGV_OUT: out },
      encoding: "utf8",
      timeout: 30_000,
    });
    // $0 is the program as the shell found it: on PATH (bin/NAME), or the relative path as written.
    const calls = readFileSync(out, "utf8")
      .split("\0\n")
      .filter(Boolean)
      .map((c) => c.split("\0"))
      .map(([p, ...a]) => [p === path.join(bin, program) ? program : p!, ...a]);
    if (r.status !== 0) calls.push([`sh exited ${r.status}: ${r.stderr}`]);
    return { schedule: m[1]!, calls, stdin };
  });
}

/** Fails (returns problems) unless Prometheus', Alertmanager's and the blackbox exporter's tools accept the files. */
export function toolProblems(config: string): string[] {
  const promtool = requireTool("promtool");
  const amtool = requireTool("amtool");
  const blackbox = requireTool("prometheus-blackbox-exporter");
  const prom = path.join(config, "prometheus");
  const checks: [string, string[], string][] = [];
  for (const f of readdirSync(prom).sort()) {
    if (/^(?:rules|exporter-rules)\.yml$/.test(f)) checks.push([promtool, ["check", "rules", f], prom]);
    else if (f.endsWith(".test.yml")) checks.push([promtool, ["test", "rules", f], prom]);
    else checks.push([promtool, ["check", "config", f], prom]);
  }
  checks.push([amtool, ["check-config", "alertmanager.yml"], path.join(config, "alertmanager")]);
  checks.push([blackbox, ["--config.check", "--config.file=blackbox.yml"], path.join(config, "blackbox")]);
  checks.push(["/bin/sh", ["route-tests.sh"], path.join(config, "alertmanager")]);
  const problems: string[] = [];
  for (const [cmd, args, cwd] of checks) {
    const r = run(cmd, args, cwd);
    if (r.code !== 0)
      problems.push(`${path.basename(cmd)} ${args.join(" ")} (in ${path.relative(config, cwd)}): ${r.out}`);
  }
  return problems;
}

/** Alertmanager's templated receiver fields, rendered by amtool as Alertmanager would. */
const TEMPLATED = /^(?:channel|to|from)$/;
function renderAlertmanager(doc: unknown, scratch: string, out: string[], problems: string[]): void {
  const amtool = requireTool("amtool");
  const glob = path.join(scratch, "empty.tmpl");
  if (!existsSync(glob)) writeFileSync(glob, "");
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        if (TEMPLATED.test(k) && typeof x === "string") {
          const r = spawnSync(amtool, ["template", "render", `--template.glob=${glob}`, `--template.text=${x}`], {
            encoding: "utf8",
            timeout: 60_000,
          });
          if (r.status === 0) out.push(r.stdout);
          else problems.push(`amtool template render of ${k}: ${r.stderr}`);
        } else visit(x);
      }
  };
  visit(doc);
}

export interface ReadBack {
  /** Every string a consumer sees (Go templates rendered). */
  seen: string[];
  /** The raw bytes of every file, for "does the value reach this output at all". */
  raw: string;
  problems: string[];
  /** The Terraform triggers' copies of the cron commands. */
  commands: string[];
}

/** Parses every file of one environment's output (config/<env> and its Terraform JSON). */
export function readBack(out: string, env: string, scratch: string): ReadBack {
  const config = path.join(out, "config", env);
  const seen: string[] = [];
  const problems: string[] = [];
  const commands: string[] = [];
  let raw = "";
  for (const file of [...filesUnder(config), path.join(out, "stacks", env, "cdk.tf.json")]) {
    const text = readFileSync(file, "utf8");
    raw += text;
    const rel = path.relative(out, file);
    if (/\.ya?ml$/.test(file)) {
      const docs = parseAllDocuments(text);
      if (!Array.isArray(docs)) continue;
      for (const d of docs) {
        if (d.errors.length) problems.push(`${rel}: ${d.errors[0]!.message}`);
        const data = d.toJS();
        if (rel.endsWith("alertmanager.yml")) renderAlertmanager(data, scratch, seen, problems);
        // Annotations are templates: promtool test rules renders them against rules.test.yml's text.
        if (/prometheus\/(?:exporter-)?rules\.yml$/.test(rel))
          for (const g of data.groups) for (const r of g.rules) delete r.annotations;
        if (!rel.endsWith("alertmanager.yml")) strings(data, seen);
        else
          strings(
            JSON.parse(JSON.stringify(data, (k, v) => (TEMPLATED.test(k) && typeof v === "string" ? undefined : v))),
            seen,
          );
      }
    } else if (file.endsWith(".json")) {
      try {
        const parsed = JSON.parse(text);
        const data = rel.endsWith("cdk.tf.json") ? (terraformStrings(parsed, problems, rel) as any) : parsed;
        // A cron job's `command` trigger is the crontab's shell text: checked against the crontab by the caller.
        for (const r of Object.values<any>(data.resource?.null_resource ?? {}))
          if (typeof r.triggers?.command === "string") {
            commands.push(r.triggers.command);
            delete r.triggers.command;
          }
        strings(data, seen);
      } catch (e) {
        problems.push(`${rel}: ${(e as Error).message}`);
      }
    }
  }
  problems.push(...toolProblems(config));
  return { seen, raw, problems, commands };
}
