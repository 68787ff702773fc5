/**
 * `tollgate synth` on the reference organization and a fixture organization: the production gate,
 * real promtool/amtool checks of every generated file, determinism, atomic writes, golden JSON.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Testing } from "cdktf";
import { Resource } from "@cdktf/provider-null/lib/resource/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProject } from "../../load/loader.js";
import { envContext } from "../../infra/generate/context.js";
import { AlertRules, HealthCheckSchedule } from "../../infra/constructs/index.js";
import { commandLine, jobs } from "../../infra/generate/cron.js";
import { synthesize } from "../../infra/synth.js";
import { NOW, REPO, removeDir, runCli, tempDir } from "../helpers/project.js";
import { expectGolden } from "../helpers/golden.js";
import { requireTool, run } from "../helpers/tools.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));
async function tmp(): Promise<string> {
  const d = await tempDir("tollgate-synth-");
  dirs.push(d);
  return d;
}
function files(dir: string, base = dir): string[] {
  return readdirSync(dir)
    .flatMap((n) => {
      const p = path.join(dir, n);
      return statSync(p).isDirectory() ? files(p, base) : [path.relative(base, p)];
    })
    .sort();
}

const LOCAL_ORG = path.join(REPO, "test/fixtures/orgs/local");

/** Every generated file passes Prometheus' and Alertmanager's own tools. */
function checkWithRealTools(configDir: string): void {
  const promtool = requireTool("promtool");
  const amtool = requireTool("amtool");
  const blackbox = requireTool("prometheus-blackbox-exporter");
  const prom = path.join(configDir, "prometheus");
  const am = path.join(configDir, "alertmanager");
  let r = run(promtool, ["check", "rules", "rules.yml"], prom);
  expect(r.code, r.out).toBe(0);
  r = run(promtool, ["test", "rules", "rules.test.yml"], prom);
  expect(r.code, r.out).toBe(0);
  expect(r.out).toContain("SUCCESS");
  r = run(promtool, ["check", "config", "prometheus.yml"], prom);
  expect(r.code, r.out).toBe(0);
  r = run(amtool, ["check-config", "alertmanager.yml"], am);
  expect(r.code, r.out).toBe(0);
  r = run(blackbox, ["--config.check", "--config.file=blackbox.yml"], path.join(configDir, "blackbox"));
  expect(r.code, r.out).toBe(0);
  const expectations = JSON.parse(readFileSync(path.join(am, "route-tests.json"), "utf8")) as {
    labels: Record<string, string>;
    receivers: string[];
  }[];
  expect(expectations.length).toBeGreaterThan(0);
  for (const e of expectations) {
    const labels = Object.entries(e.labels).map(([k, v]) => `${k}=${v}`);
    r = run(
      amtool,
      [
        "config",
        "routes",
        "test",
        "--config.file=alertmanager.yml",
        `--verify.receivers=${e.receivers.join(",")}`,
        ...labels,
      ],
      am,
    );
    expect(r.code, `${labels.join(" ")} → ${e.receivers}: ${r.out}`).toBe(0);
  }
}

describe("tollgate synth on the reference organization", () => {
  let out: string;
  beforeAll(async () => {
    out = path.join(await tmp(), "cdktf.out");
  });

  it("refuses production while the readiness gate fails, naming the failing categories, and still writes staging", async () => {
    const r = await runCli(["synth", "--all", "--now", NOW, "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("refusing to synthesize production");
    expect(r.stderr).toContain("Production secrets generated and mirrored (12 findings)");
    expect(r.stderr).toContain("Production deployed (1 finding)");
    expect(existsSync(path.join(out, "stacks/staging/cdk.tf.json"))).toBe(true);
    expect(existsSync(path.join(out, "stacks/production"))).toBe(false);
  });

  it("--force without --reason is a usage error", async () => {
    expect((await runCli(["synth", "--env", "production", "--now", NOW, "--out", out, "--force"])).code).toBe(2);
  });

  it("produces production with --force --reason and records the reason in the stack", async () => {
    const r = await runCli([
      "synth",
      "--all",
      "--now",
      NOW,
      "--out",
      out,
      "--force",
      "--reason",
      "launch rehearsal PLAT-9",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const tf = JSON.parse(readFileSync(path.join(out, "stacks/production/cdk.tf.json"), "utf8"));
    expect(tf.resource.null_resource["production-gate-override"].triggers).toMatchObject({
      reason: "launch rehearsal PLAT-9",
      failing: "secrets/production-mirroring, secrets/production-deployed",
    });
    expect(tf.output.production_gate_override.value).toBe("launch rehearsal PLAT-9");
    const staging = JSON.parse(readFileSync(path.join(out, "stacks/staging/cdk.tf.json"), "utf8"));
    expect(staging.resource.null_resource["production-gate-override"]).toBeUndefined();
  });

  it.each(["staging", "production"])("%s: every generated file passes promtool and amtool", (env) => {
    checkWithRealTools(path.join(out, "config", env));
  });

  it("production probes every 60 seconds, staging every five minutes, with schedules described", () => {
    const prod = readFileSync(path.join(out, "config/production/cron/crontab"), "utf8");
    expect(prod).toMatch(
      /^# Every minute\n\* \* \* \* \* cd \/srv\/tollgate && tollgate probe --env production --format prometheus/m,
    );
    const staging = readFileSync(path.join(out, "config/staging/cron/crontab"), "utf8");
    expect(staging).toMatch(/^# Every 5 minutes\n\*\/5 \* \* \* \* .* probe --env staging/m);
  });

  it("Kubernetes CronJobs: batch/v1, Forbid, limits, secrets only through secretKeyRef", () => {
    const text = readFileSync(path.join(out, "config/production/kubernetes/cronjobs.yaml"), "utf8");
    expect(text.match(/^apiVersion: batch\/v1$/gm)!.length).toBe(3);
    expect(text.match(/concurrencyPolicy: Forbid/g)!.length).toBe(3);
    expect(text.match(/limits:/g)!.length).toBe(3);
    expect(text).toContain("secretKeyRef:");
    expect(text).toContain("key: OPENAI_AUTH_HEADER");
    expect(text).not.toMatch(/^\s+value:/m);
  });

  it("Alertmanager: critical pages, warnings go to Slack and email, credentials only through *_file", () => {
    const am = readFileSync(path.join(out, "config/production/alertmanager/alertmanager.yml"), "utf8");
    expect(am).toContain("routing_key_file: /etc/alertmanager/secrets/pagerduty-routing-key");
    expect(am).toContain("api_url_file: /etc/alertmanager/secrets/slack-webhook-url");
    expect(am).not.toMatch(/routing_key:|api_url:|auth_password:/);
    const routes = JSON.parse(readFileSync(path.join(out, "config/production/alertmanager/route-tests.json"), "utf8"));
    expect(routes).toEqual([
      {
        labels: { alertname: "TollgateRouteTest", env: "production", severity: "critical" },
        receivers: ["pagerduty-oncall"],
      },
      {
        labels: { alertname: "TollgateRouteTest", env: "production", severity: "warning" },
        receivers: ["email-platform", "slack-platform"],
      },
    ]);
    // Dependency-aware: when supabase is down, the services on top of it are inhibited.
    expect(am).toMatch(
      /service="supabase"\n\s+target_matchers:\n\s+- env="production"\n\s+- service=~"llamaindex-rag-mcp\|supabase-mcp"/,
    );
  });

  it("the client-policy summary carries retry, breaker and budget per API", () => {
    const cp = JSON.parse(readFileSync(path.join(out, "config/production/client-policies.json"), "utf8"));
    expect(cp.apis["shopify-admin"].retry).toMatchObject({
      maxAttempts: 3,
      backoff: "exponential",
      jitter: "full",
      baseDelayMs: 500,
    });
    expect(cp.apis.openai).toMatchObject({
      retry: null,
      circuitBreaker: null,
      budget: { tokens: { limit: 30000, perMs: 60000 } },
    });
    // What @tollgate/client needs beyond the budget: cost for spend, cost points, idempotency, replicas, deadline.
    expect(cp.apis.openai).toMatchObject({
      cost: { unit: "1k-tokens", unitPriceUsd: 0.002, monthlyBudgetUsd: 750 },
      idempotent: false,
      replicas: 1,
      timeoutMs: null,
    });
    expect(cp.apis["shopify-admin"].provider.costPoints).toEqual({ bucket: 1000, restorePerSecond: 50 });
  });

  it("the staging Terraform JSON matches its golden file (null_resource triggers carry schedule, command and hashes)", () => {
    const actual = readFileSync(path.join(out, "stacks/staging/cdk.tf.json"), "utf8");
    expectGolden(actual, "staging.cdk.tf.json");
    const tf = JSON.parse(actual);
    expect(
      tf.resource.null_resource["health-check-schedule_job-probe_2D7B3A8F"] ??
        Object.values(tf.resource.null_resource).find((r: any) => r.triggers.schedule === "*/5 * * * *"),
    ).toBeDefined();
    const assets = Object.values(tf.resource.null_resource).filter((r: any) => r.triggers.sha256);
    expect(assets.length).toBe(13);
    for (const a of assets as any[]) expect(existsSync(path.join(out, "stacks/staging", a.triggers.asset))).toBe(true);
  });

  it("--hcl emits HCL for the eject path", async () => {
    const hclOut = path.join(await tmp(), "hcl.out");
    const r = await runCli(["synth", "--env", "staging", "--now", NOW, "--out", hclOut, "--hcl"]);
    expect(r.code, r.stderr).toBe(0);
    const hcl = readFileSync(path.join(hclOut, "stacks/staging/cdk.tf"), "utf8");
    expect(hcl).toMatch(/resource "null_resource" "/);
    expect(hcl).toContain('backend "local"');
    expect(hcl.trimStart().startsWith("{")).toBe(false);
  });
});

describe("the real tools reject broken config (so their passing means something)", () => {
  it("promtool, amtool and the blackbox exporter each fail on a broken file", async () => {
    const dir = await tmp();
    await writeFile(
      path.join(dir, "rules.yml"),
      "groups:\n  - name: g\n    rules:\n      - alert: X\n        expr: up ==\n",
    );
    await writeFile(path.join(dir, "am.yml"), "route: { receiver: missing }\nreceivers: []\n");
    await writeFile(path.join(dir, "bb.yml"), "modules:\n  m: { prober: http, http: { valid_status_codes: nope } }\n");
    expect(run(requireTool("promtool"), ["check", "rules", "rules.yml"], dir).code).not.toBe(0);
    expect(run(requireTool("amtool"), ["check-config", "am.yml"], dir).code).not.toBe(0);
    expect(
      run(requireTool("prometheus-blackbox-exporter"), ["--config.check", "--config.file=bb.yml"], dir).code,
    ).not.toBe(0);
  });
});

describe("synth properties", () => {
  it("is deterministic: two runs give byte-identical trees", async () => {
    const a = path.join(await tmp(), "a");
    const b = path.join(await tmp(), "b");
    expect((await runCli(["synth", "--env", "staging", "--now", NOW, "--out", a])).code).toBe(0);
    expect((await runCli(["synth", "--env", "staging", "--now", NOW, "--out", b])).code).toBe(0);
    const fa = files(a);
    expect(fa).toEqual(files(b));
    expect(fa.length).toBeGreaterThan(20);
    for (const f of fa) expect(readFileSync(path.join(a, f)), f).toEqual(readFileSync(path.join(b, f)));
  });

  it("is atomic: a failing synth leaves the previous output intact and no temporary folders", async () => {
    const parent = await tmp();
    const out = path.join(parent, "out");
    const { project } = await loadProject(REPO, { now: NOW });
    await synthesize(project.model, { envs: ["staging"], outDir: out, version: "test" });
    const before = files(out);
    await expect(
      synthesize(project.model, { envs: ["staging", "no-such-env"], outDir: out, version: "test" }),
    ).rejects.toThrow();
    expect(files(out)).toEqual(before);
    expect(readdirSync(parent)).toEqual(["out"]);
  });

  it("cdktf.json's app runs under the cdktf CLI contract (CDKTF_OUTDIR, TOLLGATE_ENV)", async () => {
    const out = path.join(await tmp(), "cli.out");
    const { spawnSync } = await import("node:child_process");
    const app = JSON.parse(readFileSync(path.join(REPO, "cdktf.json"), "utf8")).app as string;
    const r = spawnSync("sh", ["-c", app], {
      cwd: REPO,
      env: { ...process.env, CDKTF_OUTDIR: out, TOLLGATE_ENV: "staging", TOLLGATE_NOW: NOW },
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(path.join(out, "stacks/staging/cdk.tf.json"))).toBe(true);
    expect(existsSync(path.join(out, ".tollgate-synth"))).toBe(true);
    const refused = spawnSync("sh", ["-c", app], {
      cwd: REPO,
      env: { ...process.env, CDKTF_OUTDIR: out, TOLLGATE_ENV: "production", TOLLGATE_NOW: NOW },
      encoding: "utf8",
    });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("readiness gate fails");
  });

  it("a fixture organization's output also passes the real tools", async () => {
    const out = path.join(await tmp(), "local.out");
    const r = await runCli(["synth", "--env", "local", "--now", NOW, "--out", out, "--root", LOCAL_ORG]);
    expect(r.code, r.stderr).toBe(0);
    checkWithRealTools(path.join(out, "config/local"));
    const am = readFileSync(path.join(out, "config/local/alertmanager/alertmanager.yml"), "utf8");
    expect(am).toContain("url: http://127.0.0.1:19095/pagerduty");
    expect(am).toContain("api_url: http://127.0.0.1:19096/slack");
    expect(am).toMatch(/group_wait: 1s/);
  });
});

/** cdktf's Testing.synthScope writes a cdktf.outdir.* folder into the temp folder and keeps it: remove it. */
function synthScope(fn: Parameters<typeof Testing.synthScope>[0]): string {
  const before = new Set(readdirSync(tmpdir()));
  try {
    return Testing.synthScope(fn);
  } finally {
    for (const n of readdirSync(tmpdir()))
      if (n.startsWith("cdktf.outdir.") && !before.has(n))
        rmSync(path.join(tmpdir(), n), { recursive: true, force: true });
  }
}

describe("constructs (cdktf Testing)", async () => {
  const { project } = await loadProject(REPO, { now: NOW });
  const ctx = envContext(project.model, "production", "test");

  it("HealthCheckSchedule: one null_resource per job with schedule and command triggers", async () => {
    const stagingDir = await tmp();
    const synthesized = synthScope((scope) => new HealthCheckSchedule(scope, "schedule", { ctx, stagingDir }));
    const probe = jobs(ctx)[0]!;
    expect(Testing.toHaveResource(synthesized, Resource.tfResourceType)).toBe(true);
    expect(
      Testing.toHaveResourceWithProperties(synthesized, Resource.tfResourceType, {
        triggers: {
          schedule: "* * * * *",
          description: "Every minute",
          command: commandLine(ctx, probe),
          workdir: "/srv/tollgate",
        },
      }),
    ).toBe(true);
    expect(
      Testing.toHaveResourceWithProperties(synthesized, Resource.tfResourceType, {
        triggers: { schedule: "*/5 * * * *" },
      }),
    ).toBe(false);
    const parsed = JSON.parse(synthesized);
    const jobResources = Object.values(parsed.resource.null_resource).filter((r: any) => r.triggers.command);
    expect((jobResources as any[]).map((j) => j.triggers.command.split(" ")[1])).toEqual([
      "probe",
      "check",
      "forecast",
    ]);
  });

  it("AlertRules: the rules file's hash is a trigger, so a changed threshold changes the plan", async () => {
    const stagingDir = await tmp();
    const hashOf = (c: typeof ctx) => {
      const s = JSON.parse(synthScope((scope) => new AlertRules(scope, "rules", { ctx: c, stagingDir })));
      return (Object.values(s.resource.null_resource) as any[]).find((r) => r.triggers.kind === "prometheus-rules")
        .triggers.sha256;
    };
    const before = hashOf(ctx);
    const alerts = new Map(ctx.model.alerts);
    alerts.set("LatencyHigh", { ...alerts.get("LatencyHigh")!, threshold: 2500 });
    expect(hashOf({ ...ctx, model: { ...ctx.model, alerts } })).not.toBe(before);
    expect(hashOf(ctx)).toBe(before);
  });
});
