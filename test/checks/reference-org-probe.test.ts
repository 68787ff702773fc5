/**
 * The brief's picture, reproduced on the bundled HotDash manifests: a `local` environment points
 * the seven MCP servers at stand-ins on 127.0.0.1. The brief counts six healthy besides fly-mcp;
 * one of those six, llamaindex-rag-mcp, only looks healthy (its health endpoint answers while every
 * tool call fails). The deep probe reports the truth: five healthy, fly-mcp down but optional, and
 * llamaindex-rag-mcp unhealthy at the tool stage.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildModel } from "../../model/build.js";
import { loadProject, type Project } from "../../load/loader.js";
import { runProbes } from "../../checks/probe/runner.js";
import { NOW, copyReferenceOrg, removeDir, runCli } from "../helpers/project.js";
import { startHttp, startMcp, type Running } from "../helpers/servers.js";
import { editYaml } from "../helpers/yaml-edit.js";

const MCP = [
  "shopify-dev-mcp",
  "supabase-mcp",
  "github-mcp",
  "context7-mcp",
  "google-analytics-mcp",
  "fly-mcp",
  "llamaindex-rag-mcp",
];
const servers: Running[] = [];
let root: string;
let project: Project;

beforeAll(async () => {
  root = await copyReferenceOrg();
  ({ project } = await loadProject(root, { now: NOW }));
  const endpoints: Record<string, { url: string; health?: string }> = {};
  for (const name of MCP) {
    const tools = project.model.services.get(name)!.healthCheck!.mcp!.requiredTools;
    if (name === "fly-mcp") {
      const dead = await startHttp((_q, s) => s.end());
      await dead.close(); // nothing listens there: fly-mcp is not running
      endpoints[name] = { url: `${dead.url}/mcp` };
      continue;
    }
    const s = await startMcp({ tools, broken: name === "llamaindex-rag-mcp" });
    servers.push(s);
    endpoints[name] =
      name === "llamaindex-rag-mcp" ? { url: `${s.url}/mcp`, health: `${s.url}/health` } : { url: `${s.url}/mcp` };
  }
  await editYaml(path.join(root, "manifests/environments.yaml"), (doc) => {
    doc.setIn(
      ["environments", "local"],
      doc.createNode({ description: "stand-ins on 127.0.0.1", deployed: true, probe: { timeout: "30s" } }),
    );
  });
  await editYaml(path.join(root, "manifests/services/mcp.yaml"), (doc) => {
    for (const [name, ep] of Object.entries(endpoints))
      doc.setIn(["services", name, "endpoints", "local"], doc.createNode(ep));
  });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await removeDir(root);
});

describe("HotDash MCP servers on local stand-ins", () => {
  it("six healthy, fly-mcp down but optional, llamaindex-rag-mcp unhealthy at the tool stage", async () => {
    const r = await runCli(["probe", "--root", root, "--env", "local", "--format", "json"], { cwd: root });
    const out = JSON.parse(r.stdout);
    const by = Object.fromEntries(out.results.map((x: any) => [x.service, x]));
    expect(Object.keys(by).sort()).toEqual([...MCP].sort());
    const healthy = out.results
      .filter((x: any) => x.status === "healthy")
      .map((x: any) => x.service)
      .sort();
    expect(healthy).toEqual(
      ["context7-mcp", "github-mcp", "google-analytics-mcp", "shopify-dev-mcp", "supabase-mcp"].sort(),
    );
    expect(by["fly-mcp"]).toMatchObject({ status: "unhealthy", stage: "connect", optional: true });
    expect(by["llamaindex-rag-mcp"]).toMatchObject({ status: "unhealthy", stage: "tool-error" });
    expect(by["llamaindex-rag-mcp"].detail).toContain("query_support returned an error");
    // The run fails because of the RAG server (required), not because of fly-mcp (optional).
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("1 required service not healthy: llamaindex-rag-mcp");
  });

  it("the shallow view would have called the RAG server healthy: Tollgate's own HTTP probe of its health endpoint passes", async () => {
    const rag = servers[servers.length - 1]!;
    const declared = project.model.services.get("llamaindex-rag-mcp")!;
    const model = buildModel({
      environments: { local: { deployed: true } },
      services: {
        shallow: {
          kind: "http-api",
          owner: "t",
          tier: "high",
          endpoints: { local: { url: `${rag.url}/health` } },
          healthCheck: { timeout: "30s", retries: 1 },
        },
        deep: {
          kind: "mcp",
          owner: "t",
          tier: "high",
          endpoints: { local: { url: `${rag.url}/mcp`, health: `${rag.url}/health` } },
          healthCheck: { timeout: "30s", retries: 1, mcp: declared.healthCheck!.mcp },
        },
      },
    } as any);
    const { results } = await runProbes(model, { env: "local", concurrency: 1, environment: {} });
    const by = Object.fromEntries(results.map((x) => [x.service, x]));
    expect(by.shallow).toMatchObject({ status: "healthy", stage: "ok" });
    expect(by.deep).toMatchObject({ status: "unhealthy", stage: "tool-error" });
  });

  it("with the RAG server excluded, the optional fly-mcp alone does not fail the run", async () => {
    const args = [
      "probe",
      "--root",
      root,
      "--env",
      "local",
      "--format",
      "json",
      ...MCP.filter((m) => m !== "llamaindex-rag-mcp").flatMap((m) => ["--service", m]),
    ];
    const r = await runCli(args, { cwd: root });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary).toEqual({
      healthy: 5,
      unhealthy: 1,
      skipped: 0,
      deadline: 0,
      notProbeable: 0,
      total: 6,
    });
  });
});
