/**
 * The exporter path end to end, entirely on 127.0.0.1: one `tollgate serve` probes the local
 * fixture organization, `synth --shards 2` writes two Prometheus configs, two real Prometheus
 * servers run them with the real Alertmanager, and a broken MCP tool pages through that path as it
 * does through the cron path (test/e2e/stack.test.ts). Only the probe cadence is shortened, through
 * the manifest (`probe.exporter.scrapeInterval`), so it is still the real synth's output.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prometheusHashmod } from "../../infra/generate/exporter-prometheus.js";
import { NOW, removeDir, runCli, tempDir } from "../helpers/project.js";
import { startServe, type Served } from "../helpers/serve.js";
import { requireTool } from "../helpers/tools.js";
import { afterRuleEvaluations, freePort, waitFor } from "../helpers/wait.js";
import { editYaml } from "../helpers/yaml-edit.js";
import { Procs, getJson, prepareLocalOrg, waitReady } from "./local-org.js";
// @ts-expect-error plain JS module shared with the README's hand-run demo
import { startStandIns } from "./stand-ins.mjs";

const HOOK_SECRET = `e2e-${"Hk7q".repeat(6)}`;
const SERVICES = ["api", "hook", "payments", "rag-mcp"];

describe("two Prometheus shards probe through one tollgate serve", () => {
  let dir: string;
  let failed = false;
  let standIns: any;
  let procs: Procs | undefined;
  let serve: Served | undefined;
  const promUrls: string[] = [];
  let amUrl: string;

  beforeAll(async () => {
    const prometheus = requireTool("prometheus");
    const alertmanager = requireTool("prometheus-alertmanager");
    dir = await tempDir("tollgate-e2e-exporter-");
    procs = new Procs(dir);
    standIns = await startStandIns({
      ports: { api: 0, payments: 0, rag: 0, hook: 0, exporter: 0, pagerduty: 0, slack: 0 },
      textfileDir: path.join(dir, "textfile"),
      hookSecret: HOOK_SECRET,
    });
    const amPort = await freePort();
    amUrl = `http://127.0.0.1:${amPort}`;
    const org = await prepareLocalOrg(dir, standIns.ports, amPort, {
      workdir: path.join(dir, "org"),
      textfileDir: path.join(dir, "textfile"),
      stateDir: path.join(dir, "state"),
    });

    // The exporter first, on a port the kernel picks; then the manifest says where it is.
    serve = await startServe(org, ["--env", "local"], { TOLLGATE_TEST_HOOK_SECRET: HOOK_SECRET });
    await editYaml(path.join(org, "manifests/environments.yaml"), (doc) => {
      doc.setIn(
        ["environments", "local", "probe", "exporter"],
        doc.createNode({ address: new URL(serve!.url).host, scrapeInterval: "4s" }),
      );
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
      "--shards",
      "2",
    ]);
    if (synth.code !== 0) throw new Error(`synth failed: ${synth.stderr}`);
    const config = path.join(dir, "out/config/local");

    for (const i of [0, 1]) {
      const port = await freePort();
      promUrls.push(`http://127.0.0.1:${port}`);
      procs.prometheus(`prometheus-${i}`, prometheus, `shard-${i}-of-2.yml`, path.join(config, "prometheus"), port);
    }
    procs.alertmanager(alertmanager, path.join(config, "alertmanager"), amPort);
    for (const [i, url] of promUrls.entries()) await waitReady(`prometheus shard ${i}`, url);
    await waitReady("alertmanager", amUrl);
  }, 240_000);

  afterAll(async () => {
    serve?.kill();
    await serve?.exited;
    await procs?.stopAll();
    await standIns?.close();
    if (failed) {
      process.stderr.write(
        `e2e logs kept in ${dir}/logs\n--- serve (tail)\n${serve?.stderr().split("\n").slice(-15).join("\n")}\n`,
      );
      process.stderr.write(procs?.tails(["prometheus-0", "prometheus-1", "alertmanager"]) ?? "");
    } else if (dir) await removeDir(dir);
  });

  const track = <T>(p: Promise<T>) =>
    p.catch((e) => {
      failed = true;
      throw e;
    });
  const text = (x: unknown) => JSON.stringify(x);
  const probeTargets = async (url: string) =>
    ((await getJson(`${url}/api/v1/targets?state=active`)).data.activeTargets as any[]).filter(
      (t) => t.labels.job === "tollgate-probe",
    );
  const query = async (url: string, q: string) =>
    (await getJson(`${url}/api/v1/query?query=${encodeURIComponent(q)}`)).data.result as any[];

  it("the shards' /api/v1/targets are disjoint, cover every probed service, and match the hashmod computed here", () =>
    track(
      (async () => {
        const sets = await waitFor("both shards up on all their probe targets", async () => {
          const all = await Promise.all(promUrls.map(probeTargets));
          const n = all.reduce((a, t) => a + t.length, 0);
          return n === SERVICES.length && all.every((t) => t.every((x) => x.health === "up")) ? all : undefined;
        });
        const names = sets.map((t) => t.map((x) => x.labels.service as string).sort());
        expect(names[0]!.filter((s) => names[1]!.includes(s))).toEqual([]);
        expect([...names[0]!, ...names[1]!].sort()).toEqual(SERVICES);
        // Real Prometheus agrees with the computation the unit tests rely on.
        for (const i of [0, 1]) expect(names[i]).toEqual(SERVICES.filter((s) => prometheusHashmod(s, 2) === i));
        for (const t of sets.flat()) {
          expect(t.labels.instance).toBe(t.labels.service);
          expect(t.scrapeUrl).toBe(`${serve!.url}/probe?service=${t.labels.service}`);
        }
      })(),
    ));

  it("while all is well: every service's probe series in exactly one shard, healthy; no alert, nothing delivered", () =>
    track(
      (async () => {
        const perShard = await waitFor("tollgate_probe_success for every service", async () => {
          const r = await Promise.all(promUrls.map((u) => query(u, "tollgate_probe_success")));
          return r[0]!.length + r[1]!.length === SERVICES.length ? r : undefined;
        });
        for (const [i, series] of perShard.entries()) {
          for (const s of series) {
            expect(prometheusHashmod(s.metric.service, 2)).toBe(i);
            expect(s.value[1], text(s)).toBe("1");
          }
        }
        // The exporter's own metrics are scraped once, by shard 0.
        expect((await query(promUrls[0]!, 'up{job="tollgate-exporter"}'))[0]?.value[1]).toBe("1");
        expect(await query(promUrls[1]!, 'up{job="tollgate-exporter"}')).toEqual([]);
        await afterRuleEvaluations(promUrls);
        for (const u of promUrls)
          expect(
            ((await getJson(`${u}/api/v1/alerts`)).data.alerts as any[]).filter((a) => a.state === "firing"),
          ).toEqual([]);
        expect(standIns.sinks.pagerduty).toEqual([]);
      })(),
    ));

  it("breaking the MCP stand-in's tools fires McpToolFailing on rag-mcp's shard and pages through Alertmanager", () =>
    track(
      (async () => {
        standIns.state.ragBroken = true;
        const shard = String(prometheusHashmod("rag-mcp", 2));
        const pd = standIns.sinks.pagerduty as any[];
        await waitFor("McpToolFailing for rag-mcp at the PagerDuty sink", () =>
          pd.some((m) => m.event_action === "trigger" && /McpToolFailing/.test(text(m)) && /rag-mcp/.test(text(m))),
        );
        const alerts = (await getJson(`${amUrl}/api/v2/alerts?filter=alertname%3D%22McpToolFailing%22`)) as any[];
        expect(alerts.map((a) => a.labels)).toEqual([
          expect.objectContaining({
            alertname: "McpToolFailing",
            service: "rag-mcp",
            env: "local",
            shard,
            tollgate_env: "local",
          }),
        ]);
        expect(["tools-missing", "tool-error", "drift"]).toContain(alerts[0].labels.stage);
        // Only that shard evaluated it: the other one holds no rag-mcp series at all.
        expect(await query(promUrls[1 - Number(shard)]!, 'tollgate_probe_failed_stage{service="rag-mcp"}')).toEqual([]);
        expect(pd.some((m) => /service = (api|hook|payments)\b/.test(text(m)))).toBe(false);

        standIns.state.ragBroken = false;
        await waitFor(
          "resolve for McpToolFailing rag-mcp",
          () =>
            pd.some((m) => m.event_action === "resolve" && /McpToolFailing/.test(text(m)) && /rag-mcp/.test(text(m))),
          60_000,
        );
      })(),
    ));

  it("with the exporter stopped, each shard raises one ProbeScrapesFailing (no probe series means no other alert could fire)", () =>
    track(
      (async () => {
        serve!.kill();
        await serve!.exited;
        const pd = standIns.sinks.pagerduty as any[];
        await waitFor("ProbeScrapesFailing from both shards at the PagerDuty sink", async () => {
          const alerts = (await getJson(
            `${amUrl}/api/v2/alerts?filter=alertname%3D%22ProbeScrapesFailing%22`,
          )) as any[];
          return (
            alerts.length === 2 && pd.some((m) => m.event_action === "trigger" && /ProbeScrapesFailing/.test(text(m)))
          );
        });
        const alerts = (await getJson(`${amUrl}/api/v2/alerts?filter=alertname%3D%22ProbeScrapesFailing%22`)) as any[];
        expect(alerts.map((a) => a.labels.shard).sort()).toEqual(["0", "1"]);
        expect(
          alerts.every(
            (a) => a.labels.severity === "critical" && a.labels.env === "local" && a.labels.service === undefined,
          ),
        ).toBe(true);
      })(),
    ));
});
