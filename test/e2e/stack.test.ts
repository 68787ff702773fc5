/**
 * End to end on the real engines, entirely on 127.0.0.1: synthesize the local fixture organization,
 * run Debian's prometheus and prometheus-alertmanager on the generated config, run the probe line
 * of the generated crontab itself (with `sh -c`, as cron does; textfile output served like
 * node_exporter's textfile collector), break things, and check what reaches the PagerDuty and
 * Slack sinks. Thresholds in the fixture leave room for a loaded machine (docs/testing.md).
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, sleep, waitFor, afterRuleEvaluations } from "../helpers/wait.js";
import { percentile } from "../../checks/probe/state.js";
import { BIN, NOW, removeDir, runCli, tempDir } from "../helpers/project.js";
import { requireTool } from "../helpers/tools.js";
import { Procs, getJson, prepareLocalOrg, waitReady } from "./local-org.js";
// @ts-expect-error plain JS module shared with the README's hand-run demo
import { startStandIns } from "./stand-ins.mjs";

const HOOK_SECRET = `e2e-${"Hk7q".repeat(6)}`;

describe("Prometheus and Alertmanager run the synthesized config", () => {
  let dir: string;
  let failed = false;
  let standIns: any;
  let procs: Procs | undefined;
  let promUrl: string;
  let amUrl: string;
  let probing = true;
  let probeLoop: Promise<void>;
  let probeRuns = 0;
  const textfileDir = () => path.join(dir, "textfile");
  const stateFile = () => path.join(dir, "state", "probe-local.json");
  // Every run's newest state entry per service: the state file itself keeps only its window.
  const history: Record<string, { at: string; ok: boolean; latencyMs: number }[]> = {};
  let cronCommand = "";
  let lastRun: { code: number | null; stderr: string } | undefined;

  beforeAll(async () => {
    const prometheus = requireTool("prometheus");
    const alertmanager = requireTool("prometheus-alertmanager");
    dir = await tempDir("tollgate-e2e-");
    procs = new Procs(dir);
    mkdirSync(textfileDir());
    mkdirSync(path.join(dir, "state"));

    standIns = await startStandIns({
      ports: { api: 0, payments: 0, rag: 0, hook: 0, exporter: 0, pagerduty: 0, slack: 0 },
      textfileDir: textfileDir(),
      hookSecret: HOOK_SECRET,
    });
    const p = standIns.ports;
    const promPort = await freePort();
    const amPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    amUrl = `http://127.0.0.1:${amPort}`;
    // Where cron runs it, and how: the org folder, with this checkout's CLI.
    const org = await prepareLocalOrg(dir, p, amPort, {
      workdir: path.join(dir, "org"),
      textfileDir: textfileDir(),
      stateDir: path.join(dir, "state"),
      command: [process.execPath, BIN],
    });

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
    procs.prometheus("prometheus", prometheus, "prometheus.yml", path.join(config, "prometheus"), promPort);
    procs.alertmanager(alertmanager, path.join(config, "alertmanager"), amPort);
    await waitReady("prometheus", promUrl);
    await waitReady("alertmanager", amUrl);

    // The probe line of the generated crontab, run exactly as written (`sh -c`, as cron does),
    // with the secret it names in the environment; only the schedule is replaced by a fast loop.
    const crontab = readFileSync(path.join(config, "cron/crontab"), "utf8").split("\n");
    const line = crontab[crontab.findIndex((l) => l.startsWith("# probe:")) + 2]!;
    const m = /^(\S+ \S+ \S+ \S+ \S+) (.*)$/.exec(line);
    if (!m || m[1] !== "* * * * *") throw new Error(`unexpected crontab probe line: ${line}`);
    cronCommand = m[2]!;
    const runCron = () =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn("/bin/sh", ["-c", cronCommand], {
          cwd: "/",
          env: { PATH: process.env.PATH, TOLLGATE_TEST_HOOK_SECRET: HOOK_SECRET },
          stdio: ["ignore", "ignore", "pipe"],
        });
        let stderr = "";
        child.stderr!.on("data", (d) => (stderr += d));
        child.on("close", (code) => resolve({ code, stderr }));
      });
    // On a fixed cadence, as cron starts it whatever the last run took: probe → textfile (served
    // by the exporter) → scraped. Each run's result then holds for the same time, so time-weighted
    // recording rules and per-run figures are comparable.
    const CADENCE_MS = 1_500;
    probeLoop = (async () => {
      let next = Date.now();
      while (probing) {
        next += CADENCE_MS;
        lastRun = await runCron();
        try {
          const state = JSON.parse(readFileSync(stateFile(), "utf8"));
          for (const [service, entries] of Object.entries(state.services as Record<string, any[]>))
            (history[service] ??= []).push(entries[entries.length - 1]);
        } catch {
          /* a run that wrote no state shows in lastRun */
        }
        probeRuns++;
        await sleep(Math.max(0, next - Date.now()));
      }
    })();
  }, 240_000);

  afterAll(async () => {
    probing = false;
    await probeLoop?.catch(() => undefined);
    await procs?.stopAll();
    await standIns?.close();
    if (failed) {
      process.stderr.write(`e2e logs kept in ${dir}/logs\n`);
      process.stderr.write(procs?.tails(["prometheus", "alertmanager"]) ?? "");
    } else if (dir) await removeDir(dir);
  });

  const alertsIn = async () => (await getJson(`${promUrl}/api/v1/alerts`)).data.alerts as any[];
  const text = (x: unknown) => JSON.stringify(x);
  const track = <T>(p: Promise<T>) =>
    p.catch((e) => {
      failed = true;
      throw e;
    });

  it("while all is well: probes scraped, no alert, nothing delivered", () =>
    track(
      (async () => {
        await waitFor("probe metrics scraped", async () => {
          // A crontab line that cannot run fails here at once, with its own error.
          if (lastRun && lastRun.code !== 0)
            throw new Error(`the crontab's probe line exited ${lastRun.code}: ${cronCommand}\n${lastRun.stderr}`);
          return (await getJson(`${promUrl}/api/v1/query?query=tollgate_probe_success`)).data.result.length === 4;
        });
        await waitFor("three probe runs", () => probeRuns >= 3);
        // The crontab's command itself ran: healthy run, exit 0, output where the crontab says.
        expect(lastRun?.code, lastRun?.stderr).toBe(0);
        expect(readFileSync(path.join(textfileDir(), "tollgate_probe_local.prom"), "utf8")).toMatch(
          /^tollgate_probe_success\{.*service="hook".*\} 1$/m,
        );
        await afterRuleEvaluations([promUrl]);
        const firing = (await alertsIn()).filter((a) => a.state === "firing");
        expect(firing).toEqual([]);
        expect(standIns.sinks.pagerduty).toEqual([]);
        expect(standIns.sinks.slack).toEqual([]);
        // The RAG stand-in is stateful (SSE, the SDK default): every probe ended its session, so after
        // several runs at most the one in flight is open. Its tools match the fixture's lock file.
        expect(probeRuns).toBeGreaterThanOrEqual(3);
        expect(standIns.ragSessions()).toBeLessThanOrEqual(1);
        const series = async (q: string) =>
          (await getJson(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`)).data.result as any[];
        const protocol = await waitFor(
          "tollgate_mcp_protocol_info scraped",
          async () => (await series('tollgate_mcp_protocol_info{service="rag-mcp"}'))[0],
        );
        expect(protocol.metric.revision).toBe("2025-11-25");
        expect(
          (await series('tollgate_mcp_drift_changes{service="rag-mcp"}'))
            .map((r) => [r.metric.class, r.value[1]])
            .sort(),
        ).toEqual([
          ["breaking", "0"],
          ["info", "0"],
          ["warning", "0"],
        ]);
      })(),
    ));

  it("failures: critical alerts page, the warning goes to Slack only, the child of the down parent is inhibited", () =>
    track(
      (async () => {
        standIns.state.apiFailing = true;
        standIns.state.ragBroken = true;
        standIns.state.hookDelayMs = 6_000; // the accepted delivery's latency, over the local 5 s threshold

        const pd = standIns.sinks.pagerduty as any[];
        const slack = standIns.sinks.slack as any[];
        await waitFor("ServiceDown for api at the PagerDuty sink", () =>
          pd.some(
            (m) => m.event_action === "trigger" && /ServiceDown/.test(text(m)) && /service = api\b/.test(text(m)),
          ),
        );
        await waitFor("McpToolFailing for rag-mcp at the PagerDuty sink", () =>
          pd.some((m) => m.event_action === "trigger" && /McpToolFailing/.test(text(m)) && /rag-mcp/.test(text(m))),
        );
        await waitFor("LatencyHigh for hook at the Slack sink", () =>
          slack.some((m) => /LatencyHigh/.test(text(m)) && /hook/.test(text(m))),
        );

        // Routing by severity: critical never in Slack, the warning never pages.
        expect(slack.some((m) => /ServiceDown|McpToolFailing/.test(text(m)))).toBe(false);
        expect(pd.some((m) => /LatencyHigh/.test(text(m)))).toBe(false);

        // payments depends on api: it is skipped by the probe, its ServiceDown fires in Prometheus,
        // and Alertmanager inhibits it instead of paging.
        const inhibited = await waitFor("payments' ServiceDown suppressed by inhibition", async () => {
          const alerts = (await getJson(
            `${amUrl}/api/v2/alerts?filter=alertname%3D%22ServiceDown%22&filter=service%3D%22payments%22`,
          )) as any[];
          return alerts.find((a) => a.status.state === "suppressed" && a.status.inhibitedBy.length > 0);
        });
        expect(inhibited.labels).toMatchObject({ alertname: "ServiceDown", service: "payments", severity: "critical" });
        expect(pd.some((m) => /service = payments\b/.test(text(m)))).toBe(false);

        // One MCP fault, one page: rag-mcp's ServiceDown is inhibited by its McpToolFailing.
        await waitFor("rag-mcp's ServiceDown suppressed by McpToolFailing", async () => {
          const alerts = (await getJson(
            `${amUrl}/api/v2/alerts?filter=alertname%3D%22ServiceDown%22&filter=service%3D%22rag-mcp%22`,
          )) as any[];
          return alerts.find((a) => a.status.state === "suppressed" && a.status.inhibitedBy.length > 0);
        });
        expect(
          pd.filter((m) => /alertname = ServiceDown/.test(text(m)) && /service = rag-mcp\b/.test(text(m))).map(text),
        ).toEqual([]);
      })(),
    ));

  it("recovery: the resolved notification reaches PagerDuty", () =>
    track(
      (async () => {
        standIns.state.apiFailing = false;
        // The webhook probe sends three accepted deliveries per run (first, non-canonical, redelivery):
        // left at 6 s each, one run takes over 18 s and the api's recovery waits behind it.
        standIns.state.hookDelayMs = 0;
        const pd = standIns.sinks.pagerduty as any[];
        await waitFor(
          "resolve for ServiceDown api",
          () =>
            pd.some(
              (m) => m.event_action === "resolve" && /ServiceDown/.test(text(m)) && /service = api\b/.test(text(m)),
            ),
          40_000,
        );
      })(),
    ));

  it("recording rules report success rate and P95 latency close to what the probes measured", () =>
    track(
      (async () => {
        const state = JSON.parse(readFileSync(stateFile(), "utf8"));
        expect(state.services.api.length).toBeGreaterThan(0);
        const api = history.api!;
        const at = Date.now();
        const query = async (q: string) =>
          (await getJson(`${promUrl}/api/v1/query?time=${at / 1000}&query=${encodeURIComponent(q)}`)).data.result[0];
        const ratio = Number(
          (await waitFor("success ratio recorded", () => query('tollgate:probe_success:ratio_1h{service="api"}')))
            .value[1],
        );
        // Compare over the window Prometheus actually watched (its first scrape comes a few seconds
        // after start-up, when service discovery first hands it the target). Within that window a probe
        // result stands until the next run replaces it, so the measured figure is time-weighted too.
        const samples = ((await query('tollgate_probe_success{service="api"}[1h]'))?.values ?? []) as [
          number,
          string,
        ][];
        const from = samples[0]![0] * 1000;
        let total = 0;
        let healthy = 0;
        api.forEach((e, i) => {
          const start = Math.max(Date.parse(e.at), from);
          const end = i + 1 < api.length ? Date.parse(api[i + 1]!.at) : at;
          if (end <= start) return;
          total += end - start;
          if (e.ok) healthy += end - start;
        });
        const measuredRatio = healthy / total;
        expect(api.some((e) => !e.ok) && api.some((e) => e.ok)).toBe(true);
        // A recording rule is as precise as its samples: allow a sample and a half (a transition is
        // seen up to one scrape late, and each sample carries 1/n of the average).
        const evidence = JSON.stringify({
          ratio,
          measuredRatio,
          runs: api.map((e) => [Date.parse(e.at) / 1000, e.ok ? 1 : 0]),
          samples,
        });
        expect(Math.abs(ratio - measuredRatio), evidence).toBeLessThan(1.5 / samples.length);

        const hook = history.hook!.map((e) => e.latencyMs);
        const measuredP95 = percentile(hook, 95)! / 1000;
        const p95 = Number((await query('tollgate:probe_duration_seconds:p95_1h{service="hook"}')).value[1]);
        expect(p95).toBeGreaterThan(5); // the slow phase shows, above the LatencyHigh threshold
        expect(Math.abs(p95 - measuredP95)).toBeLessThan(Math.max(0.15, measuredP95 * 0.35));
      })(),
    ));

  it("MCP drift: a reworded tool is exported as a warning against the fixture's lock file, and the probe stays healthy", () =>
    track(
      (async () => {
        standIns.state.ragBroken = false;
        standIns.state.ragReworded = true;
        await waitFor("a drift warning for rag-mcp in Prometheus", async () => {
          const r = (
            await getJson(
              `${promUrl}/api/v1/query?query=${encodeURIComponent('tollgate_mcp_drift_changes{service="rag-mcp",class="warning"} == 1 and on(service) tollgate_probe_success{service="rag-mcp"} == 1')}`,
            )
          ).data.result as any[];
          return r.length === 1;
        });
      })(),
    ));

  it("the cron job stops: ProbeRunsStale fires once its last run is staleAfter old, and pages through Alertmanager", () =>
    track(
      (async () => {
        probing = false;
        await probeLoop;
        const pd = standIns.sinks.pagerduty as any[];
        const slack = standIns.sinks.slack as any[];
        // node_exporter (here the stand-in) keeps serving the last textfile: the probe series stay.
        expect((await getJson(`${promUrl}/api/v1/query?query=tollgate_probe_success`)).data.result).toHaveLength(4);
        // The last run is made older in the file it wrote, rather than waited for: a real minute of
        // waiting proves nothing an older finish time does not, and cost a minute of every run.
        const file = path.join(textfileDir(), "tollgate_probe_local.prom");
        const written = readFileSync(file, "utf8");
        const ageBy = async (seconds: number) => {
          const at = Math.floor(Date.now() / 1000) - seconds;
          const aged = written.replace(/^(tollgate_probe_last_run_timestamp_seconds\{env="local"\}) \d+$/m, `$1 ${at}`);
          expect(aged).toContain(`tollgate_probe_last_run_timestamp_seconds{env="local"} ${at}`);
          writeFileSync(`${file}.tmp`, aged);
          renameSync(`${file}.tmp`, file);
          await waitFor(`a finish time ${seconds} s old scraped`, async () => {
            const r = await getJson(`${promUrl}/api/v1/query?query=tollgate_probe_last_run_timestamp_seconds`);
            return Number(r.data.result[0]?.value[1]) === at;
          });
          return at;
        };
        // 30 s old, under staleAfter (1m): rule evaluations pass and the alert stays quiet.
        await ageBy(30);
        await afterRuleEvaluations([promUrl]);
        expect((await alertsIn()).filter((a) => a.labels.alertname === "ProbeRunsStale")).toEqual([]);
        // 90 s old, past it: the alert fires and pages.
        const lastRun = await ageBy(90);
        const page = await waitFor(
          "ProbeRunsStale at the PagerDuty sink",
          () => pd.find((m) => m.event_action === "trigger" && /ProbeRunsStale/.test(text(m))),
          240_000,
        );
        expect(text(page)).toMatch(/No probe run has completed in local for more than 1m/);
        const alert = (await alertsIn()).find((a) => a.labels.alertname === "ProbeRunsStale");
        expect(alert).toMatchObject({
          state: "firing",
          labels: { alertname: "ProbeRunsStale", env: "local", severity: "critical" },
        });
        // Active only after the finish time became older than staleAfter (1m), by Prometheus' own clock.
        expect(Date.parse(alert.activeAt) / 1000 - lastRun).toBeGreaterThanOrEqual(60);
        // Critical: paged, never sent to the warning channel.
        expect(slack.some((m) => /ProbeRunsStale/.test(text(m)))).toBe(false);
      })(),
    ));

  it("the crontab line that ran is the generated one: this checkout's CLI, in the org folder, writing the textfile", () => {
    expect(cronCommand).toBe(
      `cd ${dir}/org && ${process.execPath} ${BIN} probe --env local --format prometheus --output ${textfileDir()}/tollgate_probe_local.prom --state ${stateFile()} --timeout 30000 --deadline 48s`,
    );
    expect(probeRuns).toBeGreaterThan(3);
  });
});
