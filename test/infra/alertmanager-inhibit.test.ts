/**
 * Inhibit rules: one MCP fault gives one page (McpToolFailing silences the same service's
 * ServiceDown), and dependency inhibition follows the probe's skip rule (an optional parent
 * silences nothing). Proven on a real Alertmanager on 127.0.0.1 running the generated config.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { buildModel } from "../../model/build.js";
import { alertmanagerConfig, inhibitRules } from "../../infra/generate/alertmanager.js";
import { envContext } from "../../infra/generate/context.js";
import { removeDir, tempDir } from "../helpers/project.js";
import { startHttp } from "../helpers/servers.js";
import { requireTool, run } from "../helpers/tools.js";

const svc = (kind: string, extra: Record<string, unknown> = {}) => ({
  kind,
  owner: "t",
  tier: "high",
  endpoints: { local: { url: "http://127.0.0.1:9/x" } },
  healthCheck: { timeout: "1s" },
  ...extra,
});
const ALERTS = {
  ServiceDown: { condition: "probe-failing", severity: "critical", appliesTo: { optional: "exclude" } },
  OptionalServiceDown: { condition: "probe-failing", severity: "warning", appliesTo: { optional: "only" } },
  McpToolFailing: { condition: "mcp-tool-failing", severity: "critical", appliesTo: { kinds: ["mcp"] } },
};
const model = (alerts: Record<string, unknown> = ALERTS, sinkUrl = "http://127.0.0.1:9/sink") =>
  buildModel({
    environments: {
      local: { deployed: true, monitoring: { groupWait: "1s", groupInterval: "1s", repeatInterval: "1h" } },
    },
    services: {
      api: svc("http-api"),
      rag: svc("mcp", { dependsOn: ["api"] }),
      cache: svc("infra", { optional: true }),
      worker: svc("http-api", { dependsOn: ["cache"] }),
      queue: svc("infra"),
      relay: svc("http-api", { optional: true, dependsOn: ["queue"] }),
      mailer: svc("http-api", { dependsOn: ["relay"] }),
    },
    alerts,
    channels: {
      pager: { type: "webhook", severities: ["critical"], url: sinkUrl },
      chat: { type: "webhook", severities: ["warning"], url: sinkUrl.replace(/sink$/, "chat") },
    },
  } as any);

describe("generated inhibit rules", () => {
  it("McpToolFailing silences the probe-failing alerts of the same MCP service, never a page by a warning", () => {
    const rules = inhibitRules(envContext(model(), "local", "test"));
    expect(rules).toContainEqual({
      source_matchers: ['alertname="McpToolFailing"', 'env="local"'],
      target_matchers: ['alertname=~"ServiceDown"', 'env="local"', 'service=~"rag"'],
      equal: ["env", "service"],
    });
    // A warning-level tool alert must not swallow the critical ServiceDown page.
    const warn = inhibitRules(
      envContext(
        model({ ...ALERTS, McpToolFailing: { ...ALERTS.McpToolFailing, severity: "warning" } }),
        "local",
        "test",
      ),
    );
    expect(warn.some((r: any) => r.source_matchers[0] === 'alertname="McpToolFailing"')).toBe(false);
  });

  it("an optional parent silences nothing, and a required parent's reach stops below an optional child", () => {
    const rules = inhibitRules(envContext(model(), "local", "test")) as any[];
    const sources = rules.filter((r) => r.equal.length === 1).map((r) => [r.source_matchers[2], r.target_matchers[1]]);
    expect(sources).toEqual([
      ['service="api"', 'service=~"rag"'],
      // relay is optional: it is skipped when queue is down, but mailer below it is probed anyway.
      ['service="queue"', 'service=~"relay"'],
    ]);
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe("a real Alertmanager on the generated config", () => {
  let am: ChildProcess | undefined;
  let dir: string | undefined;
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    if (am && am.exitCode === null) {
      am.kill("SIGTERM");
      await new Promise((r) => am!.on("exit", r));
    }
    await Promise.all(closers.map((c) => c()));
    if (dir) await removeDir(dir);
  });

  it("one MCP fault (ServiceDown and McpToolFailing for rag) pages once: ServiceDown is inhibited", async () => {
    const received: any[] = [];
    const sink = await startHttp((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push({ path: req.url, ...JSON.parse(body) });
        res.end();
      });
    });
    closers.push(sink.close);
    dir = await tempDir("tollgate-am-");
    const config = alertmanagerConfig(envContext(model(ALERTS, `${sink.url}/sink`), "local", "test"));
    writeFileSync(path.join(dir, "alertmanager.yml"), config);
    expect(run(requireTool("amtool"), ["check-config", "alertmanager.yml"], dir).code).toBe(0);
    expect(parse(config).inhibit_rules.length).toBe(3);

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    am = spawn(
      requireTool("prometheus-alertmanager"),
      [
        "--config.file=alertmanager.yml",
        `--storage.path=${dir}/data`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--cluster.listen-address=",
      ],
      { cwd: dir, stdio: "ignore" },
    );
    const until = async <T>(
      what: string,
      fn: () => Promise<T | undefined> | T | undefined,
      ms = 60_000,
    ): Promise<T> => {
      const end = Date.now() + ms;
      for (;;) {
        const v = await fn();
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    await until("alertmanager ready", async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok);

    const labels = (alertname: string) => ({
      alertname,
      env: "local",
      service: "rag",
      kind: "mcp",
      severity: "critical",
    });
    const post = await fetch(`${url}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        { labels: labels("ServiceDown") },
        { labels: { ...labels("McpToolFailing"), stage: "tool-error" } },
      ]),
    });
    expect(post.ok).toBe(true);

    await until("McpToolFailing paged", () =>
      received.some((m) => m.path === "/sink" && m.commonLabels?.alertname === "McpToolFailing"),
    );
    const serviceDown = await until("ServiceDown suppressed", async () => {
      const alerts = (await (await fetch(`${url}/api/v2/alerts?filter=alertname%3D%22ServiceDown%22`)).json()) as any[];
      return alerts.find((a) => a.status.state === "suppressed" && a.status.inhibitedBy.length > 0);
    });
    expect(serviceDown.labels).toMatchObject({ service: "rag" });
    // Instead of waiting a while: a later alert of another service, posted only now, is delivered
    // after its own group_wait, so ServiceDown's group (due earlier) has been flushed by then.
    const later = await fetch(`${url}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ labels: { ...labels("ServiceDown"), service: "later" } }]),
    });
    expect(later.ok).toBe(true);
    await until("the later alert delivered", () => received.some((m) => m.commonLabels?.service === "later"));
    expect(
      received.filter((m) => m.commonLabels?.alertname === "ServiceDown" && m.commonLabels?.service === "rag"),
    ).toEqual([]);
    expect(received.filter((m) => m.commonLabels?.alertname === "McpToolFailing").length).toBe(1);
  }, 120_000);
});
