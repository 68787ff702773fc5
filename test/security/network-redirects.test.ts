/**
 * Network: only the declared endpoints. Real servers on 127.0.0.1: a redirect to another port
 * must not carry the Authorization or any configured secret header; redirect targets and declared
 * endpoints with reserved names (RFC 2606/6761, any case, trailing dot, subdomains of
 * example.com) are refused before any DNS lookup.
 */
import dns from "node:dns";
import type http from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildModel } from "../../model/build.js";
import { runProbes } from "../../checks/probe/runner.js";
import { guardedFetch } from "../../checks/probe/mcp-transport.js";
import { reservedHost } from "../../checks/probe/reserved-host.js";
import type { ProbeResult } from "../../checks/probe/types.js";
import { startHttp, type Running } from "../helpers/servers.js";

const ENVS = { local: { deployed: true }, production: { production: true, deployed: false } };
const TOKEN = `tok-${"Qx7z".repeat(8)}`;
const API_KEY = `key-${"Mw3p".repeat(8)}`;
const HEADERS = { Authorization: { fromEnv: "TG_NET_TOKEN" }, "X-Api-Key": { fromEnv: "TG_NET_KEY" } };
const ENV = { TG_NET_TOKEN: `Bearer ${TOKEN}`, TG_NET_KEY: API_KEY };

const svc = (url: string, healthCheck: Record<string, unknown> = {}) => ({
  kind: "http-api",
  owner: "t",
  tier: "high",
  endpoints: { local: { url } },
  healthCheck: { timeout: "5s", retries: 1, headers: HEADERS, ...healthCheck },
});

async function probe(services: Record<string, unknown>): Promise<Record<string, ProbeResult>> {
  const model = buildModel({ environments: ENVS, services } as any);
  const { results } = await runProbes(model, { env: "local", concurrency: 4, environment: ENV, baseDelayMs: 10 });
  return Object.fromEntries(results.map((r) => [r.service, r]));
}

let target: Running;
let origin: Running;
const seen: { path: string; headers: http.IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  // The second server: records every request's headers.
  target = await startHttp((req, res) => {
    seen.push({ path: req.url!, headers: req.headers });
    const p = new URL(req.url!, "http://x").pathname;
    if (p === "/back") {
      res.statusCode = 302;
      res.setHeader("location", `${origin.url}/record`);
      res.end();
      return;
    }
    res.end("ok");
  });
  // The declared endpoint: redirects elsewhere, or records requests on its own origin.
  origin = await startHttp((req, res) => {
    seen.push({ path: `origin${req.url}`, headers: req.headers });
    const p = new URL(req.url!, "http://x").pathname;
    const to = (location: string) => {
      res.statusCode = 302;
      res.setHeader("location", location);
      res.end();
    };
    if (p === "/to-other-port") return to(`${target.url}/landing`);
    if (p === "/to-other-port-and-back") return to(`${target.url}/back`);
    if (p === "/same-origin") return to("/record");
    if (p === "/to-example") return to("http://x.example/steal");
    if (p === "/to-example-trailing-dot") return to("http://API.Example./steal");
    if (p === "/to-www-example-com") return to("http://www.example.com/steal");
    if (p === "/to-file") return to("file:///etc/passwd");
    if (p === "/to-userinfo") return to(`http://user:pw@127.0.0.1:${target.port}/landing`);
    res.end("ok");
  });
});
afterAll(async () => {
  await target.close();
  await origin.close();
});

describe("redirects and credentials", () => {
  it("a redirect to another port reaches the second server without Authorization or the secret header", async () => {
    seen.length = 0;
    const r = await probe({ api: svc(`${origin.url}/to-other-port`) });
    expect(r.api).toMatchObject({ status: "healthy", detail: "HTTP 200 after 1 redirect" });
    const first = seen.find((s) => s.path === "origin/to-other-port")!;
    expect(first.headers.authorization).toBe(`Bearer ${TOKEN}`); // the declared origin gets them
    const landing = seen.find((s) => s.path === "/landing")!;
    expect(landing).toBeDefined();
    expect(landing.headers.authorization).toBeUndefined();
    expect(landing.headers["x-api-key"]).toBeUndefined();
    expect(JSON.stringify(landing.headers)).not.toContain(TOKEN);
    expect(JSON.stringify(landing.headers)).not.toContain(API_KEY);
  });

  it("once dropped, credentials stay dropped when a later hop returns to the first origin", async () => {
    seen.length = 0;
    const r = await probe({ api: svc(`${origin.url}/to-other-port-and-back`) });
    expect(r.api).toMatchObject({ status: "healthy" });
    const back = seen.find((s) => s.path === "origin/record")!;
    expect(back.headers.authorization).toBeUndefined();
    expect(back.headers["x-api-key"]).toBeUndefined();
  });

  it("a same-origin redirect keeps the configured headers", async () => {
    seen.length = 0;
    const r = await probe({ api: svc(`${origin.url}/same-origin`) });
    expect(r.api).toMatchObject({ status: "healthy" });
    const rec = seen.find((s) => s.path === "origin/record")!;
    expect(rec.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(rec.headers["x-api-key"]).toBe(API_KEY);
  });

  it("redirect targets must pass the declared-endpoint rules: reserved names, scheme, userinfo", async () => {
    seen.length = 0;
    const r = await probe({
      example: svc(`${origin.url}/to-example`),
      dot: svc(`${origin.url}/to-example-trailing-dot`),
      www: svc(`${origin.url}/to-www-example-com`),
      file: svc(`${origin.url}/to-file`),
      userinfo: svc(`${origin.url}/to-userinfo`),
    });
    // Today's code follows these and fails at `connect` after a DNS lookup (ENOTFOUND/EAI_AGAIN).
    expect(r.example).toMatchObject({
      status: "unhealthy",
      stage: "redirect",
      detail: "redirect refused: x.example is a reserved documentation hostname (RFC 2606/6761); not contacted",
    });
    expect(r.dot).toMatchObject({
      status: "unhealthy",
      stage: "redirect",
      detail: expect.stringContaining("api.example is a reserved"),
    });
    expect(r.www).toMatchObject({
      status: "unhealthy",
      stage: "redirect",
      detail: expect.stringContaining("www.example.com is a reserved"),
    });
    expect(r.file).toMatchObject({
      status: "unhealthy",
      stage: "redirect",
      detail: expect.stringContaining("http and https only"),
    });
    expect(r.userinfo).toMatchObject({
      status: "unhealthy",
      stage: "redirect",
      detail: "redirect to a URL with credentials refused",
    });
    expect(seen.some((s) => s.path === "/landing")).toBe(false);
  });
});

describe("the MCP transport's fetch", () => {
  it("sends the configured headers to the declared origin only, and refuses reserved names", async () => {
    seen.length = 0;
    const headers = { Authorization: `Bearer ${TOKEN}`, "X-Api-Key": API_KEY };
    const f = guardedFetch(new URL(`${origin.url}/mcp`), { headers, maxBytes: 1000 }, {});
    await (await f(`${origin.url}/record`, { headers })).text();
    await (await f(`${target.url}/landing`, { headers })).text();
    expect(seen.find((x) => x.path === "origin/record")!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const other = seen.find((x) => x.path === "/landing")!.headers;
    expect(other.authorization).toBeUndefined();
    expect(other["x-api-key"]).toBeUndefined();
    await expect(f("http://mcp.example./mcp", { headers })).rejects.toThrow(
      "mcp.example is a reserved documentation hostname",
    );
  });
});

describe("no DNS lookup for a reserved name", () => {
  it("neither a redirect target nor a declared endpoint is ever resolved", async () => {
    // Observes (does not replace) the resolver node:net uses for host names.
    const lookup = vi.spyOn(dns, "lookup");
    try {
      const r = await probe({
        redirect: svc(`${origin.url}/to-example`),
        dot: svc(`${origin.url}/to-example-trailing-dot`),
        declared: svc("http://api.example./health"),
      });
      expect([r.redirect!.status, r.dot!.status, r.declared!.status]).toEqual([
        "unhealthy",
        "unhealthy",
        "not-probeable",
      ]); // a redirect there is a failure; a declared placeholder is not probeable
      const looked = lookup.mock.calls.map((c) => String(c[0]).toLowerCase());
      expect(looked.filter((h) => /example/.test(h))).toEqual([]);
    } finally {
      lookup.mockRestore();
    }
  });
});

describe("reserved names on declared endpoints", () => {
  it("trailing dot, upper case, www.example.com, .test, .invalid and *.localhost are refused before any lookup", async () => {
    const r = await probe({
      dot: svc("http://api.example./health"),
      upper: svc("https://API.EXAMPLE.NET/health"),
      www: svc("http://www.example.com/health"),
      test: svc("http://svc.test/health"),
      invalid: svc("http://svc.invalid./health"),
      local: svc("http://app.localhost/health"),
    });
    for (const [name, host] of [
      ["dot", "api.example"],
      ["upper", "api.example.net"],
      ["www", "www.example.com"],
      ["test", "svc.test"],
      ["invalid", "svc.invalid"],
      ["local", "app.localhost"],
    ] as const) {
      expect(r[name], name).toMatchObject({
        status: "not-probeable",
        stage: "config",
        attempts: 0,
        detail: `${host} is a reserved documentation hostname (RFC 2606); not probed`,
      });
    }
  });

  it("loopback stays allowed: localhost, 127.0.0.1, ::1; real names are not reserved", () => {
    for (const url of [
      "http://localhost:8080/",
      "http://127.0.0.1:1/",
      "http://[::1]:1/",
      "https://api.example-corp.com/",
      "https://example.co/",
      "https://testing.io/",
      "https://notexample.com/",
    ]) {
      expect(reservedHost(url), url).toBeUndefined();
    }
    for (const url of [
      "http://EXAMPLE.ORG../",
      "http://a.b.example.org/",
      "http://x.EXAMPLE/",
      "http://localhost.localhost/",
    ]) {
      expect(reservedHost(url), url).toBeDefined();
    }
  });
});
