/**
 * `/probe?service=NAME&debug=true` (as the blackbox exporter's debug=true, with `serve
 * --allow-debug`) answers why a probe failed, above the series it would have returned, and still
 * never a secret: here the server echoes the token the probe sends, into the very detail the debug
 * answer prints. Without the flag the answer is 403 and nothing is probed.
 */
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, writeProject } from "../helpers/project.js";
import { sample, scrape, startServe, type Served } from "../helpers/serve.js";
import { startHttp, type Running } from "../helpers/servers.js";

const token = `tg-token-${"Vx9p".repeat(8)}`;
let echo: Running;
let srv: Served;
let closed: Served;
let root = "";
const received: (string | undefined)[] = [];

beforeAll(async () => {
  // Echoes the Authorization header back as JSON: the probe's body condition on it fails.
  echo = await startHttp((req, res) => {
    received.push(req.headers.authorization);
    res.end(JSON.stringify({ auth: req.headers.authorization ?? null }));
  });
  root = await writeProject({
    "manifests/org.yaml": stringify({
      environments: { local: { deployed: true } },
      services: {
        echo: {
          kind: "http-api",
          owner: "t",
          tier: "high",
          endpoints: { local: { url: `${echo.url}/headers` } },
          healthCheck: {
            timeout: "30s",
            retries: 1,
            headers: { Authorization: { fromEnv: "TG_API_TOKEN" } },
            expect: { json: [{ path: "auth", equals: "something else" }] },
          },
        },
      },
    }),
  });
  srv = await startServe(root, ["--allow-debug"], { TG_API_TOKEN: token });
  closed = await startServe(root, [], { TG_API_TOKEN: token });
}, 90_000);

afterAll(async () => {
  for (const s of [srv, closed]) {
    s?.kill("SIGKILL");
    await s?.exited;
  }
  await echo?.close();
  await removeDir(root);
});

describe("GET /probe?service=NAME&debug=true", () => {
  it("answers the failure's detail, redacted, above the series a scrape gets", async () => {
    const res = await fetch(`${srv.url}/probe?service=echo`);
    const plain = { status: res.status, body: await res.text() };
    expect(plain.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(plain.body).not.toContain("Result of the probe");
    expect(sample(plain.body, "tollgate_probe_success", { service: "echo" })).toBe(0);
    const debug = await scrape(srv.url, "echo", 30, "service=echo&debug=true");
    expect(debug.status, debug.body).toBe(200);
    const [result, series] = debug.body.split("\nMetrics that would have been returned:\n");
    expect(result).toMatch(/^Result of the probe:\nSERVICE +KIND +STATUS +STAGE/);
    expect(result).toContain(`auth is "[REDACTED]", expected "something else"`);
    expect(sample(series!, "tollgate_probe_failed_stage", { service: "echo", stage: "body" })).toBe(1);
    for (const body of [plain.body, debug.body, srv.stderr()]) expect(body).not.toContain(token);
    // The echo server did receive the token: the redaction, not its absence, keeps it out.
    expect(received).toContain(token);
  }, 90_000);

  it("is 403 without --allow-debug and 400 for a repeated or unknown value, probing nothing", async () => {
    const before = received.length;
    expect((await scrape(closed.url, "echo", 30, "service=echo&debug=true")).status).toBe(403);
    for (const query of ["service=echo&debug=true&debug=false", "service=echo&debug=1", "service=echo&debug="])
      expect((await scrape(srv.url, "echo", 30, query)).status, query).toBe(400);
    expect(received.length).toBe(before);
    // debug=false is a plain scrape.
    const off = await scrape(closed.url, "echo", 30, "service=echo&debug=false");
    expect(off.status).toBe(200);
    expect(sample(off.body, "tollgate_probe_success", { service: "echo" })).toBe(0);
  }, 90_000);
});
