/**
 * The generated Grafana dashboard, proven without a Grafana server: synthesize the local fixture
 * organization, run Debian's prometheus on the generated config, run the three generated cron jobs
 * (probe, readiness check, rotation forecast) exactly as the crontab has them, break two services,
 * then send EVERY panel query of the dashboard to Prometheus the way Grafana would (variables set
 * to "All", instant or range as the panel asks) and require that it parses and returns data.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cp } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, sleep, waitFor as waitUntil } from "../helpers/wait.js";
import { NOW, REPO, removeDir, runCli, tempDir } from "../helpers/project.js";
import { requireTool } from "../helpers/tools.js";
import { editYaml } from "../helpers/yaml-edit.js";
// @ts-expect-error plain JS module shared with the README's hand-run demo
import { startStandIns } from "./stand-ins.mjs";

const HOOK_SECRET = `e2e-${"Dq4w".repeat(6)}`;

const waitFor = <T>(
  what: string,
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 90_000,
): Promise<T> => waitUntil(what, fn, timeoutMs, 500);

/** Grafana's interpolation of the dashboard's variables with "All" selected (their allValue). */
function interpolate(expr: string, vars: { tier: string; service: string }): string {
  return expr.replaceAll("${tier:raw}", vars.tier).replaceAll("$service", vars.service);
}

/** The cron line of one job, as argv after the `tollgate` command (the crontab quotes only when needed). */
function cronArgs(crontab: string, sub: string): string[] {
  const line = crontab.split("\n").find((l) => !l.startsWith("#") && l.includes(` && tollgate ${sub} `));
  if (!line) throw new Error(`no ${sub} line in the crontab`);
  return line
    .slice(line.indexOf(" && tollgate ") + " && tollgate ".length)
    .split(" ")
    .map((a) => a.replace(/^'(.*)'$/, "$1"));
}

const ALL = { tier: ".*", service: ".*" };

describe("every query of the generated dashboard returns data from the real Prometheus", () => {
  let dir: string;
  let org: string;
  let failed = false;
  let standIns: any;
  let prom: ChildProcess | undefined;
  let promUrl: string;
  let probing = true;
  let probeLoop: Promise<void>;
  let probeRuns = 0;
  let startedAt = 0;
  let dashboard: any;
  let crontab: string;

  beforeAll(async () => {
    const prometheus = requireTool("prometheus");
    dir = await tempDir("tollgate-dashboard-e2e-");
    const textfileDir = path.join(dir, "textfile");
    mkdirSync(path.join(dir, "logs"));
    mkdirSync(textfileDir);
    mkdirSync(path.join(dir, "state"));
    org = path.join(dir, "org");
    await cp(path.join(REPO, "test/fixtures/orgs/local"), org, { recursive: true });
    standIns = await startStandIns({
      ports: { api: 0, payments: 0, rag: 0, hook: 0, exporter: 0, pagerduty: 0, slack: 0 },
      textfileDir,
      hookSecret: HOOK_SECRET,
    });
    const p = standIns.ports;
    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;

    await editYaml(path.join(org, "manifests/services.yaml"), (doc) => {
      doc.setIn(["services", "api", "endpoints", "local", "url"], `http://127.0.0.1:${p.api}/health`);
      doc.setIn(["services", "payments", "endpoints", "local", "url"], `http://127.0.0.1:${p.payments}/health`);
      doc.setIn(
        ["services", "rag-mcp", "endpoints", "local"],
        doc.createNode({ url: `http://127.0.0.1:${p.rag}/mcp`, health: `http://127.0.0.1:${p.rag}/health` }),
      );
      doc.setIn(["services", "hook", "endpoints", "local", "url"], `http://127.0.0.1:${p.hook}/webhook`);
    });
    await editYaml(path.join(org, "manifests/environments.yaml"), (doc) => {
      doc.setIn(["environments", "local", "monitoring", "alertmanager"], `127.0.0.1:${p.pagerduty}`); // nothing reads what Prometheus sends
      doc.setIn(["environments", "local", "monitoring", "nodeExporter"], `127.0.0.1:${p.exporter}`);
      doc.setIn(["environments", "local", "runtime", "textfileDir"], textfileDir);
      doc.setIn(["environments", "local", "runtime", "stateDir"], path.join(dir, "state"));
    });
    // One failing readiness category, so the "failing categories" panel has something to list.
    await editYaml(path.join(org, "manifests/secrets-and-hooks.yaml"), (doc) =>
      doc.deleteIn(["secrets", "HOOK_SECRET", "runbook"]),
    );

    const synth = await runCli([
      "synth",
      "--root",
      org,
      "--env",
      "local",
      "--now",
      NOW,
      "--out",
      path.join(dir, "out"),
    ]);
    if (synth.code !== 0) throw new Error(`synth failed: ${synth.stderr}`);
    const config = path.join(dir, "out/config/local");
    dashboard = JSON.parse(readFileSync(path.join(config, "grafana/dashboards/tollgate-local.json"), "utf8"));
    crontab = readFileSync(path.join(config, "cron/crontab"), "utf8");

    const log = createWriteStream(path.join(dir, "logs", "prometheus.log"));
    prom = spawn(
      prometheus,
      [
        "--config.file=prometheus.yml",
        `--storage.tsdb.path=${dir}/prom-data`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { cwd: path.join(config, "prometheus"), stdio: ["ignore", "pipe", "pipe"] },
    );
    prom.stdout!.pipe(log);
    prom.stderr!.pipe(log);
    startedAt = Date.now() / 1000;
    await waitFor(
      "prometheus ready",
      async () => (await fetch(`${promUrl}/-/ready`).catch(() => undefined))?.ok,
      60_000,
    );

    // The daily jobs, run once now, as the generated crontab has them.
    for (const sub of ["check", "forecast"]) {
      const r = await runCli([...cronArgs(crontab, sub), "--root", org, "--now", NOW]);
      if (r.code !== 0) throw new Error(`${sub} (from the crontab) failed: ${r.stderr}`);
    }
    // The probe job on a cadence, as cron would start it.
    const probeArgs = [...cronArgs(crontab, "probe"), "--root", org];
    probeLoop = (async () => {
      while (probing) {
        const next = Date.now() + 1_500;
        await runCli(probeArgs, { env: { TOLLGATE_TEST_HOOK_SECRET: HOOK_SECRET } });
        probeRuns++;
        await sleep(Math.max(0, next - Date.now()));
      }
    })();
  }, 150_000);

  afterAll(async () => {
    probing = false;
    await probeLoop?.catch(() => undefined);
    if (prom && prom.exitCode === null) {
      prom.kill("SIGTERM");
      await new Promise((r) => {
        const t = setTimeout(() => prom!.kill("SIGKILL"), 5_000);
        prom!.on("exit", () => {
          clearTimeout(t);
          r(null);
        });
      });
    }
    await standIns?.close();
    if (failed) process.stderr.write(`dashboard e2e kept in ${dir} (logs/prometheus.log)\n`);
    else if (dir) await removeDir(dir);
  });

  const track = <T>(p: Promise<T>) =>
    p.catch((e) => {
      failed = true;
      throw e;
    });
  const api = async (pathAndQuery: string) => (await fetch(`${promUrl}${pathAndQuery}`)).json() as Promise<any>;
  const instant = (q: string) => api(`/api/v1/query?query=${encodeURIComponent(q)}`);
  const panels = () => dashboard.panels.filter((p: any) => p.type !== "row") as any[];

  it(
    "the cron jobs' output is scraped, and two services are then broken (firing alerts, a failing MCP stage)",
    () =>
      track(
        (async () => {
          await waitFor("probe, readiness and forecast metrics scraped", async () => {
            const [probe, score, due] = await Promise.all(
              ["tollgate_probe_success", "tollgate_readiness_score_percent", "tollgate_secret_rotation_due_days"].map(
                async (m) => (await instant(m)).data.result.length,
              ),
            );
            return probe === 4 && score === 1 && due === 1;
          });
          await waitFor("three probe runs", () => probeRuns >= 3);
          standIns.state.apiFailing = true;
          standIns.state.ragBroken = true;
          await waitFor(
            "ServiceDown firing for api",
            async () =>
              (await instant('ALERTS{alertstate="firing",alertname="ServiceDown",service="api"}')).data.result.length >
              0,
          );
          await waitFor(
            "rag-mcp's failing stage scraped",
            async () =>
              (await instant('tollgate_probe_failed_stage{service="rag-mcp",stage="tool-error"}')).data.result.length >
              0,
          );
          expect(
            (await instant('tollgate_readiness_category_passed{category="incident-response"}')).data.result[0].value[1],
          ).toBe("0");
        })(),
      ),
    180_000,
  );

  it(
    "every panel query parses and returns data",
    () =>
      track(
        (async () => {
          const all = panels().flatMap((p) =>
            p.targets.map((t: any) => ({
              panel: p.title,
              type: p.type,
              expr: interpolate(t.expr, ALL),
              instant: t.instant === true,
            })),
          );
          expect(all.length).toBeGreaterThan(20);
          expect(all.some((q) => !q.instant)).toBe(true);
          const empty: string[] = [];
          for (const q of all) {
            const run = () => {
              const end = Date.now() / 1000;
              return q.instant
                ? instant(q.expr)
                : api(`/api/v1/query_range?query=${encodeURIComponent(q.expr)}&start=${startedAt}&end=${end}&step=2`);
            };
            const first = await run();
            // A query that does not parse fails at once (bad_data), whatever the timing.
            expect(first.status, `${q.panel}: ${q.expr}: ${first.error}`).toBe("success");
            const ok = await waitFor(
              `${q.panel}: ${q.expr}`,
              async () => ((await run()).data.result.length > 0 ? true : undefined),
              60_000,
            ).catch(() => false);
            if (!ok) empty.push(`${q.panel}: ${q.expr}`);
          }
          expect(empty, "panel queries that returned no data").toEqual([]);
        })(),
      ),
    900_000,
  );

  it("a query that does not parse is reported as such (so the check above can fail)", () =>
    track(
      (async () => {
        const r = await instant('count(tollgate_probe_success{env="local"} ==');
        expect(r.status).toBe("error");
        expect(r.errorType).toBe("bad_data");
      })(),
    ));

  it("the service variable lists the probed services, narrowed by the tier variable", () =>
    track(
      (async () => {
        const [tier, service] = dashboard.templating.list;
        const match = (t: string) =>
          /^label_values\((.*), service\)$/.exec(interpolate(service.query, { tier: t, service: ".*" }))![1]!;
        const values = async (t: string) =>
          (await api(`/api/v1/label/service/values?match[]=${encodeURIComponent(match(t))}`)).data as string[];
        expect(await values(ALL.tier)).toEqual(["api", "hook", "payments", "rag-mcp"]);
        const critical = tier.options.find((o: any) => o.text === "critical");
        expect(await values(critical.value)).toEqual(["api"]);
        const high = tier.options.find((o: any) => o.text === "high");
        expect(await values(high.value)).toEqual(["hook", "payments", "rag-mcp"]);
      })(),
    ));

  it("the readiness panels show the failing category the check found", () =>
    track(
      (async () => {
        const failing = panels().find((p) => p.title === "Failing readiness categories");
        const r = await instant(interpolate(failing.targets[0].expr, ALL));
        expect(r.data.result.map((s: any) => `${s.metric.scorecard}/${s.metric.category}`)).toEqual([
          "secrets/incident-response",
        ]);
        const score = panels().find((p) => p.title === "Readiness score");
        expect(Number((await instant(score.targets[0].expr)).data.result[0].value[1])).toBeLessThan(100);
        writeFileSync(path.join(dir, "logs", "done"), "ok");
      })(),
    ));
});
