/**
 * Optional services never fail the run, so an optional parent that is down must not skip a
 * required child (a skipped required service fails the run). The child is probed and its own
 * result decides; a required parent that is down still skips its children. A parent at a reserved
 * placeholder address is not probeable: it skips nothing either.
 */
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, runCli, writeProject } from "../helpers/project.js";
import { startBehaviours, type Running } from "../helpers/servers.js";

const ENVS = { local: { deployed: true } };
const http = (url: string, extra: Record<string, unknown> = {}) => ({
  kind: "http-api",
  owner: "t",
  tier: "high",
  endpoints: { local: { url } },
  healthCheck: { timeout: "5s", retries: 1 },
  ...extra,
});

let b: Running & { hits: Map<string, number> };
let root: string;
beforeAll(async () => {
  b = await startBehaviours();
  root = await writeProject({
    "manifests/org.yaml": stringify({
      environments: ENVS,
      services: {
        cache: http(`${b.url}/error`, { optional: true }),
        api: http(`${b.url}/healthy`, { dependsOn: ["cache"] }),
        worker: http(`${b.url}/healthy`, { dependsOn: ["api"] }),
        broken: http(`${b.url}/error`, { dependsOn: ["cache"] }),
        db: http(`${b.url}/error`),
        billing: http(`${b.url}/healthy`, { dependsOn: ["db", "cache"] }),
        placeholder: http("https://api.example/health"),
        consumer: http(`${b.url}/healthy`, { dependsOn: ["placeholder"] }),
      },
    }),
  });
});
afterAll(async () => {
  await b?.close();
  if (root) await removeDir(root);
});

const run = async (services: string[]) => {
  const r = await runCli(
    ["probe", "--root", root, "--env", "local", "--format", "json", ...services.flatMap((s) => ["--service", s])],
    { timeoutMs: 120_000 },
  );
  const out = JSON.parse(r.stdout);
  return {
    code: r.code,
    stderr: r.stderr,
    by: Object.fromEntries(out.results.map((x: any) => [x.service, x])) as Record<string, any>,
  };
};

describe("an optional parent that is down", () => {
  it("does not skip a healthy required child: the child is probed and the run passes", async () => {
    const before = b.hits.get("/healthy") ?? 0;
    const r = await run(["cache", "api", "worker"]);
    expect(r.by.cache).toMatchObject({ status: "unhealthy", optional: true });
    expect(r.by.api).toMatchObject({
      status: "healthy",
      stage: "ok",
      detail: "HTTP 200 (optional parent down: cache)",
    });
    expect(r.by.worker).toMatchObject({ status: "healthy", stage: "ok" });
    expect((b.hits.get("/healthy") ?? 0) - before).toBe(2);
    expect(r.code, r.stderr).toBe(0);
  });

  it("a required child that is itself broken still fails the run, on its own result", async () => {
    const r = await run(["cache", "broken"]);
    expect(r.by.broken).toMatchObject({ status: "unhealthy", stage: "status" });
    expect(r.code).toBe(1);
  });

  it("a required parent that is down still skips its child, whatever the optional parent does", async () => {
    const r = await run(["cache", "db", "billing"]);
    expect(r.by.billing).toMatchObject({ status: "skipped", stage: "dependency", detail: "parent down: db" });
    expect(r.code).toBe(1);
  });
});

describe("a required parent at a reserved placeholder address (.example)", () => {
  it("is not probeable, says nothing about its child: the child is probed and the run passes", async () => {
    const before = b.hits.get("/healthy") ?? 0;
    const r = await run(["placeholder", "consumer"]);
    expect(r.by.placeholder).toMatchObject({ status: "not-probeable", stage: "config", attempts: 0 });
    expect(r.by.consumer).toMatchObject({ status: "healthy", stage: "ok", detail: "HTTP 200" });
    expect((b.hits.get("/healthy") ?? 0) - before).toBe(1);
    expect(r.code, r.stderr).toBe(0);
  });
});
