/**
 * `tollgate mcp-tools --write` and the probe reading the lock file, through the compiled CLI
 * against real SDK servers: the file is deterministic and reviewable, a benign change passes with
 * the drift reported, a breaking one fails the probe (exit 1), and a lock file Tollgate did not
 * write is neither overwritten nor trusted (exit 2).
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { removeDir, runCli, writeProject } from "../helpers/project.js";
import { startModernMcp } from "../helpers/mcp-modern.js";

const closers: (() => Promise<void>)[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  await Promise.all(dirs.map(removeDir));
});

const ENVS = { local: { deployed: true }, production: { production: true, deployed: false } };
const manifest = (url: string) =>
  stringify({
    environments: ENVS,
    services: {
      rag: {
        kind: "mcp",
        owner: "t",
        tier: "high",
        endpoints: { local: { url: `${url}/mcp` } },
        healthCheck: {
          timeout: "30s",
          retries: 1,
          mcp: {
            transport: "streamable-http",
            requiredTools: ["query_support"],
            smoke: { tool: "query_support", arguments: { query: "q" } },
          },
        },
      },
    },
  });

async function project(url: string): Promise<string> {
  const root = await writeProject({ "manifests/org.yaml": manifest(url) });
  dirs.push(root);
  return root;
}

describe("mcp-tools --write and drift in tollgate probe", () => {
  it("writes a deterministic lock; the probe passes, reports a warning, then fails on a breaking change", async () => {
    const original = await startModernMcp();
    const reworded = await startModernMcp({ reworded: true });
    const tenant = await startModernMcp({ requireTenant: true });
    closers.push(original.close, reworded.close, tenant.close);
    const root = await project(original.url);
    const w = await runCli(["mcp-tools", "--root", root, "--env", "local", "--write"]);
    expect(w.code, w.stderr).toBe(0);
    expect(w.stdout).toContain("rag (local): 1 tool recorded (protocol 2026-07-28)");
    const lockFile = path.join(root, "mcp-tools.lock.yaml");
    const first = await readFile(lockFile, "utf8");
    expect(first).toContain("query_support:");
    expect(first).toContain("readOnlyHint: true");
    expect(first).not.toContain("$schema");
    // Byte-identical when nothing changed.
    expect((await runCli(["mcp-tools", "--root", root, "--env", "local", "--write"])).code).toBe(0);
    expect(await readFile(lockFile, "utf8")).toBe(first);

    const ok = await runCli(["probe", "--root", root, "--env", "local"]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain("matches the lock file");

    await writeFile(path.join(root, "manifests/org.yaml"), manifest(reworded.url));
    const warn = await runCli(["probe", "--root", root, "--env", "local", "--format", "prometheus"]);
    expect(warn.code, warn.stderr).toBe(0);
    expect(warn.stdout).toContain('tollgate_mcp_drift_changes{env="local",service="rag",kind="mcp",class="warning"} 1');
    expect(warn.stdout).toContain(
      'tollgate_mcp_protocol_info{env="local",service="rag",kind="mcp",revision="2026-07-28"} 1',
    );

    await writeFile(path.join(root, "manifests/org.yaml"), manifest(tenant.url));
    const broken = await runCli(["probe", "--root", root, "--env", "local", "--format", "json"]);
    expect(broken.code).toBe(1);
    const result = JSON.parse(broken.stdout).results[0];
    expect(result).toMatchObject({
      status: "unhealthy",
      stage: "drift",
      mcp: { revision: "2026-07-28", drift: { breaking: 1 } },
    });
    expect(result.mcp.changes).toEqual([
      { tool: "query_support", class: "breaking", code: "required-added", detail: "new required argument tenant" },
    ]);
  }, 120_000);

  it("a lock file Tollgate did not write is not overwritten, and an invalid one is an input error", async () => {
    const s = await startModernMcp();
    closers.push(s.close);
    const root = await project(s.url);
    const lockFile = path.join(root, "mcp-tools.lock.yaml");
    await writeFile(lockFile, "someone: else\n");
    const w = await runCli(["mcp-tools", "--root", root, "--env", "local", "--write"]);
    expect(w.code).toBe(2);
    expect(w.stderr).toContain("was not written by Tollgate; not overwritten");
    expect(await readFile(lockFile, "utf8")).toBe("someone: else\n");
    const p = await runCli(["probe", "--root", root, "--env", "local"]);
    expect(p.code).toBe(2);
    expect(p.stdout + p.stderr).toMatch(/mcp-tools\.lock\.yaml:1:1 mcp-lock-invalid/);
  }, 120_000);
});
