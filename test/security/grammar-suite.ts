/**
 * The every-string-field grammar proof, as a suite a test file instantiates for some payloads
 * (output-grammar*.test.ts): split over files so the suite's workers run them side by side.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { loadProject } from "../../load/loader.js";
import { evaluate } from "../../policies/engine.js";
import { envContext } from "../../infra/generate/context.js";
import { jobs } from "../../infra/generate/cron.js";
import { NOW, REPO, removeDir, runCli, tempDir } from "../helpers/project.js";
import { fieldName, instanceOf, linesOf, stringFields, toYaml, withValue, type Field } from "./grammar-fields.js";
import { readBack, runCrontab } from "./grammar-outputs.js";

export const FIXTURE = path.join(REPO, "test/fixtures/orgs/grammar");
export const PAYLOADS: Record<string, string> = {
  newline: "\n* * * * * touch /tmp/tollgate-pwned #",
  percent: "50%off%",
  "single quote": "it's",
  "double quote": 'say "hi"',
  template: "{{ }} and {{ .Alerts }}",
  shell: "$(id)`id`\\;&|",
  terraform: '${file("/etc/passwd")}%{ if true }x%{ endif }$${',
};

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

export const fields = stringFields();
export const originals = Object.fromEntries(
  ["tollgate.yaml", "waivers.yaml", "manifests/all.yaml"].map((f) => [
    f,
    parse(readFileSync(path.join(FIXTURE, f), "utf8")),
  ]),
);

interface Accepted {
  field: Field;
  at: (string | number)[];
  value: string;
  marker: string;
  whole: string;
}

/** Which test file runs which payloads; together they must run every one (output-grammar.test.ts checks). */
export const PAYLOAD_GROUPS = {
  lines: ["newline", "percent"],
  quotes: ["single quote", "double quote"],
  code: ["template", "shell", "terraform"],
} as const;

/** Each payload in `kinds`: refused at the field's line, or synthesized into files that parse and say the same thing. */
export function grammarSuite(kinds: readonly string[]): void {
  describe("every string field against every grammar of the generated files", () => {
    it.each(kinds)(
      "%s: refused at the field's line, or synthesized into files that parse and say the same thing",
      async (kind) => {
        const payload = PAYLOADS[kind]!;
        const dir = await tempDir("tollgate-grammar-");
        dirs.push(dir);
        const project = path.join(dir, "org");
        cpSync(FIXTURE, project, { recursive: true });
        const accepted: Accepted[] = [];
        const wrong: string[] = [];
        for (const [i, field] of fields.entries()) {
          const at = instanceOf(originals[field.file], field)!;
          const base = field.key
            ? String(at[at.length - 1])
            : (at.reduce((v: any, s) => v[s], originals[field.file]) as string);
          // Markers around the payload: whatever reaches an output must arrive whole, in the middle of a value too.
          const marker = `Zq${i}Q`;
          const whole = `${marker}${payload}Qz${i}Z`;
          const value = base + whole;
          const text = toYaml(withValue(originals[field.file], at, field, value));
          writeFileSync(path.join(project, field.file), text);
          const loaded = await loadProject(project, { now: NOW, displayBase: project });
          // Policy settings (ids, options) are checked where policies run: check and synth, before any output.
          const diagnostics =
            loaded.ok && field.file === "tollgate.yaml"
              ? (await evaluate(loaded.project)).diagnostics
              : loaded.diagnostics;
          writeFileSync(path.join(project, field.file), toYaml(originals[field.file]));
          if (!diagnostics.some((d) => d.severity === "error")) {
            accepted.push({ field, at, value, marker, whole });
            continue;
          }
          const where = field.key ? [...at.slice(0, -1), value] : at;
          const lines = linesOf(text, where);
          // A value inside a union (`policies.<id>` is a severity or a mapping) is reported at the union.
          const unionLines = where.slice(0, -1).flatMap((_, n) => linesOf(text, where.slice(0, n + 1)));
          const here = diagnostics.filter(
            (d) =>
              d.severity === "error" &&
              d.file === field.file &&
              (lines.includes(d.line) ||
                (d.code === "invalid-type" && unionLines.includes(d.line) && d.message.includes("any allowed form"))),
          );
          if (here.length === 0)
            wrong.push(
              `${fieldName(field)}: refused, but not at line ${lines.join("/")}: ${diagnostics
                .filter((d) => d.severity === "error")
                .map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`)
                .join("; ")}`,
            );
        }
        expect(wrong).toEqual([]);

        // Every accepted value at once, through the real CLI.
        const docs = structuredClone(originals);
        for (const a of accepted) docs[a.field.file] = withValue(docs[a.field.file], a.at, a.field, a.value);
        for (const [f, d] of Object.entries(docs)) writeFileSync(path.join(project, f), toYaml(d));
        const out = path.join(dir, "out");
        // The gate override's reason is free text from the command line, recorded in Terraform.
        const reason = `grammar test ${payload}`;
        const synth = await runCli(
          ["synth", "--root", project, "--all", "--now", NOW, "--out", out, "--force", "--reason", reason],
          { cwd: dir },
        );
        expect(synth.code, `${synth.stdout}${synth.stderr}`).toBe(0);

        const { project: loaded } = await loadProject(project, { now: NOW });
        const problems: string[] = [];
        for (const env of loaded.model.environments.keys()) {
          const scratch = path.join(dir, `scratch-${env}`);
          mkdirSync(scratch);
          const back = readBack(out, env, scratch);
          problems.push(...back.problems.map((p) => `${env}: ${p}`));

          // The crontab: one line per job, nothing after a `%`, and exactly the argv the job means.
          const ctx = envContext(loaded.model, env, "0.0.0");
          const expected = jobs(ctx);
          const crontab = readFileSync(path.join(out, "config", env, "cron/crontab"), "utf8");
          const runs = runCrontab(crontab, scratch, ctx.command[0]!);
          expect(back.commands.length, env).toBe(expected.length);
          for (const c of back.commands)
            expect(
              crontab.split("\n").some((l) => l.endsWith(` && ${c}`)),
              `${env}: Terraform's command ${c} is a crontab line's`,
            ).toBe(true);
          expect(
            runs.map((r) => r.schedule),
            env,
          ).toEqual(expected.map((j) => j.schedule));
          runs.forEach((r, i) => {
            expect(r.stdin, `${env} ${expected[i]!.name}: cron would cut the command at a %`).toBeUndefined();
            expect(r.calls, `${env} ${expected[i]!.name}`).toEqual([
              ["cd", ctx.workdir],
              [...ctx.command, ...expected[i]!.args],
            ]);
            back.seen.push(...r.calls.flat());
          });

          const reasons = back.seen.filter((x) => x.startsWith("grammar test"));
          if (loaded.model.environments.get(env)!.production)
            expect(reasons.length, `${env}: the override is recorded (the fixture fails the gate)`).toBeGreaterThan(0);
          for (const s of reasons) expect(s, `${env}: the override reason reads back whole`).toBe(reason);
          for (const a of accepted) {
            if (!back.raw.includes(a.marker)) continue;
            const holders = back.seen.filter((s) => s.includes(a.marker));
            if (holders.length === 0)
              problems.push(`${env}: ${fieldName(a.field)} reaches a file no consumer reads back`);
            for (const s of holders)
              if (!s.includes(a.whole))
                problems.push(`${env}: ${fieldName(a.field)} reads back as ${JSON.stringify(s)}`);
          }
        }
        expect(problems).toEqual([]);
      },
      600_000,
    );
  });
}
