/**
 * What synth writes can be deployed as written: every probe CronJob lives past the probe's own
 * deadline and ends before the next run; every image is the configured one; manifest.json names
 * only files that exist; the summary says where each file goes; alerts that reach no receiver are
 * a warning.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeDeadlineMs, schedulePeriodMs } from "../../model/cron.js";
import { durationMs } from "../../model/duration.js";
import {
  type CliResult,
  NOW,
  REPO,
  copyReferenceOrg,
  writeProject,
  removeDir,
  runCli,
  tempDir,
} from "../helpers/project.js";
import { editYaml } from "../helpers/yaml-edit.js";
import { requireTool, run } from "../helpers/tools.js";

let dir: string;
let org: string;
let out: string;
let synth: CliResult;
const IMAGE = "registry.internal/acme/tollgate:2026.12";
const VERSION = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")).version as string;
/** Every `image:` in a Kubernetes file, wherever it nests. */
const images = (x: unknown): string[] =>
  Array.isArray(x)
    ? x.flatMap(images)
    : x && typeof x === "object"
      ? Object.entries(x).flatMap(([k, v]) => (k === "image" && typeof v === "string" ? [v] : images(v)))
      : [];
const filesUnder = (d: string, base = d): string[] =>
  readdirSync(d, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? filesUnder(path.join(d, e.name), base) : [path.relative(base, path.join(d, e.name))],
    )
    .sort();
const config = () => path.join(out, "config");
const docsIn = (file: string) => parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS());

beforeAll(async () => {
  dir = await tempDir("tollgate-deployable-");
  org = await copyReferenceOrg();
  // One schedule whose shortest gap is not its first one, besides staging's */5 and production's every minute.
  await editYaml(path.join(org, "manifests/environments.yaml"), (doc) => {
    doc.setIn(["environments", "nightly"], doc.createNode({ deployed: true, probe: { schedule: "0,10 * * * *" } }));
    // The exporter path (kubernetes/exporter.yaml too) with its own image.
    doc.setIn(
      ["environments", "edge"],
      doc.createNode({ deployed: true, probe: { exporter: {} }, runtime: { image: IMAGE } }),
    );
  });
  out = path.join(dir, "out");
  synth = await runCli(["synth", "--root", org, "--all", "--now", NOW, "--out", out, "--force", "--reason", "test"]);
  expect(synth.code, synth.stderr).toBe(0);
}, 240_000);
afterAll(async () => Promise.all([dir, org].filter(Boolean).map(removeDir)));

describe("Kubernetes CronJobs follow the schedule's deadline", () => {
  it("every probe CronJob outlives the probe's --deadline and ends before its next run", () => {
    const jobs = readdirSync(config()).flatMap((env) =>
      docsIn(path.join(config(), env, "kubernetes/cronjobs.yaml")).map((d) => ({ env, ...d })),
    );
    const probes = jobs.filter((j) => j.metadata.labels["app.kubernetes.io/component"] === "probe");
    expect(probes.map((j) => j.spec.schedule).sort()).toEqual(["* * * * *", "*/5 * * * *", "0,10 * * * *"].sort());
    for (const j of probes) {
      const limitMs = j.spec.jobTemplate.spec.activeDeadlineSeconds * 1000;
      expect(limitMs, j.metadata.name).toBeGreaterThan(probeDeadlineMs(j.spec.schedule));
      expect(limitMs, j.metadata.name).toBeLessThan(schedulePeriodMs(j.spec.schedule));
      // The probe in the pod stops at the same deadline, passed explicitly.
      const args = j.spec.jobTemplate.spec.template.spec.containers[0].args as string[];
      expect(durationMs(args[args.indexOf("--deadline") + 1]!), j.metadata.name).toBe(probeDeadlineMs(j.spec.schedule));
    }
    for (const j of jobs)
      expect(j.spec.jobTemplate.spec.activeDeadlineSeconds * 1000, j.metadata.name).toBeLessThan(
        schedulePeriodMs(j.spec.schedule),
      );
  });
});

describe("staleness alerts on both paths", () => {
  it("every environment's promtool tests pass with real promtool, and fail when the staleness threshold is wrong", () => {
    const promtool = requireTool("promtool");
    for (const env of readdirSync(config())) {
      const prom = path.join(config(), env, "prometheus");
      const exporter = existsSync(path.join(prom, "exporter-rules.yml"));
      const [rules, tests] = exporter
        ? ["exporter-rules.yml", "exporter-rules.test.yml"]
        : ["rules.yml", "rules.test.yml"];
      const text = readFileSync(path.join(prom, rules), "utf8");
      expect(text, env).toContain("alert: ProbeRunsStale");
      let r = run(promtool, ["test", "rules", tests], prom);
      expect(r.code, `${env}: ${r.out}`).toBe(0);
      // A threshold ten times too long, or an absent() on the wrong job: the firing case catches it.
      writeFileSync(
        path.join(prom, rules),
        exporter
          ? text.replace('absent(up{job="tollgate-probe"', 'absent(up{job="elsewhere"')
          : text.replace(
              /(tollgate_probe_last_run_timestamp_seconds\{env="[^"]+"\}\) > )(\d+)/,
              (_, a, n) => `${a}${Number(n) * 10}`,
            ),
      );
      r = run(promtool, ["test", "rules", tests], prom);
      expect(r.code, env).not.toBe(0);
      expect(r.out).toMatch(/FAILED:\s+name: ProbeRunsStale/);
      writeFileSync(path.join(prom, rules), text);
    }
  });
});

describe("the image every manifest runs", () => {
  it("is runtime.image where set, else ghcr.io/tollgate/tollgate:<package version>, in every Kubernetes file", () => {
    const seen: Record<string, string[]> = {};
    for (const env of readdirSync(config())) {
      for (const f of ["cronjobs.yaml", "exporter.yaml"]) {
        const file = path.join(config(), env, "kubernetes", f);
        if (existsSync(file)) (seen[env] ??= []).push(...docsIn(file).flatMap(images));
      }
    }
    expect(Object.keys(seen).sort()).toEqual(["edge", "nightly", "production", "staging"]);
    for (const [env, list] of Object.entries(seen)) {
      expect(list.length, env).toBeGreaterThan(0);
      expect(new Set(list), env).toEqual(new Set([env === "edge" ? IMAGE : `ghcr.io/tollgate/tollgate:${VERSION}`]));
    }
    // The exporter's Deployment is among them.
    expect(docsIn(path.join(config(), "edge/kubernetes/exporter.yaml")).flatMap(images)).toContain(IMAGE);
  });
});

describe("what synth writes and says", () => {
  it("manifest.json names only files that exist (metadata.json included)", () => {
    const manifest = JSON.parse(readFileSync(path.join(out, "manifest.json"), "utf8"));
    const named = Object.values(manifest.stacks as Record<string, any>).flatMap((s) => [
      s.synthesizedStackPath,
      s.stackMetadataPath,
    ]);
    expect(named.length).toBe(8);
    for (const p of named) expect(existsSync(path.join(out, p)), p).toBe(true);
    const meta = JSON.parse(readFileSync(path.join(out, "stacks/staging/metadata.json"), "utf8"));
    expect(meta["//"].metadata).toMatchObject({ backend: "local", stackName: "staging" });
  });

  it("the summary lists every file of config/<env>/ with where it belongs, and which copy to deploy", () => {
    for (const env of readdirSync(config())) {
      const head = synth.stdout.split("\n").findIndex((l) => l.startsWith(`✔ ${env}: `));
      expect(synth.stdout.split("\n")[head]).toContain(
        `deploy these files from ${path.relative(REPO, out)}/config/${env}/ (stacks/${env}/assets/ holds Terraform's copies`,
      );
      const listed = synth.stdout
        .split("\n")
        .slice(head + 1)
        .filter((l, i, a) => a.slice(0, i + 1).every((x) => x.startsWith("    ")))
        .map((l) => /^ {4}(\S+) +→ (.+)$/.exec(l)!);
      expect(
        listed.map((m) => m[1]),
        env,
      ).toEqual(filesUnder(path.join(config(), env)));
      for (const m of listed) expect(m[2]!.length, m[1]).toBeGreaterThan(5);
    }
    expect(synth.stdout).toMatch(
      /^ {4}kubernetes\/exporter\.yaml +→ kubectl apply -f \(namespace monitoring; image registry\.internal\/acme\/tollgate:2026\.12\)$/m,
    );
    expect(synth.stdout).toMatch(/^ {4}prometheus\/rules\.test\.yml +→ CI: promtool test rules \(not deployed\)$/m);
  });

  it("alerts with nowhere to go are a warning at the environment (exit 0), and the route tests say so", async () => {
    const root = await writeProject({
      "manifests/org.yaml": [
        "environments:",
        "  staging: { deployed: true }",
        "services:",
        '  api: { kind: http-api, owner: t, tier: high, endpoints: { staging: { url: "http://127.0.0.1:9/health" } } }',
        "alerts:",
        "  Down: { condition: probe-failing, for: 1m, severity: critical }",
        "",
      ].join("\n"),
    });
    try {
      const r = await runCli(["synth", "--root", root, "--now", NOW, "--out", path.join(root, "out")]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(
        /manifests\/org\.yaml:2:\d+ alerts-unrouted critical alerts in staging \(Down, ProbeRunsStale\) reach no receiver: Alertmanager routes them to tollgate-null, which drops them/,
      );
      expect(r.stderr).toMatch(/alerts-unrouted warning alerts in staging \(ReadinessScoreDropped\) reach no receiver/);
      expect(r.stderr).toContain("hint: Declare a channel with `severities: [critical]`");
      const tests = JSON.parse(
        readFileSync(path.join(root, "out/config/staging/alertmanager/route-tests.json"), "utf8"),
      );
      expect(tests.map((t: any) => [t.labels.severity, t.receivers])).toEqual([
        ["critical", ["tollgate-null"]],
        ["warning", ["tollgate-null"]],
      ]);
    } finally {
      await removeDir(root);
    }
  });

  it("no warning where every severity in use reaches a channel", () => {
    expect(synth.stderr).not.toMatch(/alerts-unrouted .* in (staging|production) /);
  });
});
