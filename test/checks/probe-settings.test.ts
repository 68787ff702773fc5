/**
 * One resolver (model/probe-settings.ts) decides how a service is contacted for every command:
 * the timeout's precedence, and that an unset variable is a failure. `mcp-tools` used to ignore
 * the environment's probe.timeout and silently drop a header whose variable was unset, where the
 * probe reported a config failure; now both say the same thing and contact nothing.
 */
import { stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { buildModel } from "../../model/build.js";
import { DEFAULT_PROBE_TIMEOUT_MS, probeSettings } from "../../model/probe-settings.js";
import { removeDir, runCli, writeProject } from "../helpers/project.js";
import { startMcp, type McpRunning } from "../helpers/mcp-servers.js";

const mcpService = (url: string, healthCheck: Record<string, unknown> = {}) => ({
  kind: "mcp",
  owner: "t",
  tier: "high",
  endpoints: { local: { url } },
  healthCheck: { retries: 1, mcp: { transport: "streamable-http", requiredTools: ["query_support"] }, ...healthCheck },
});

describe("probeSettings: the timeout's precedence", () => {
  const model = (hc: string | undefined, envTimeout: string | undefined) =>
    buildModel({
      environments: { local: { deployed: true, ...(envTimeout ? { probe: { timeout: envTimeout } } : {}) } },
      services: { s: mcpService("http://127.0.0.1:1/mcp", hc ? { timeout: hc } : {}) },
    } as any);
  it.each([
    ["--timeout wins over both", 500, "3s", "7s", 500],
    ["the service's healthCheck.timeout", undefined, "3s", "7s", 3000],
    ["else the environment's probe.timeout", undefined, undefined, "7s", 7000],
    ["else 10 s", undefined, undefined, undefined, DEFAULT_PROBE_TIMEOUT_MS],
  ] as const)("%s", (_, override, hc, envTimeout, expected) => {
    expect(probeSettings(model(hc, envTimeout), "local", "s", {}, override).timeoutMs).toBe(expected);
  });

  it("reads header and server variables by name, and lists the unset ones", () => {
    const m = buildModel({
      environments: { local: { deployed: true } },
      services: {
        s: mcpService("http://127.0.0.1:1/mcp", {
          headers: { Authorization: { fromEnv: "A" }, "X-Other": { fromEnv: "B" } },
        }),
      },
    } as any);
    const got = probeSettings(m, "local", "s", { A: "token-a" });
    expect(got).toMatchObject({ headers: { Authorization: "token-a" }, missing: ["B"], values: ["token-a"] });
  });
});

describe("probe and mcp-tools agree on an unset header variable", () => {
  const closers: (() => Promise<void>)[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
    await Promise.all(dirs.map(removeDir));
  });

  it("both fail with the same detail, exit 1, and the server is never contacted", async () => {
    const server: McpRunning = await startMcp();
    closers.push(server.close);
    const root = await writeProject({
      "manifests/org.yaml": stringify({
        environments: { local: { deployed: true, probe: { timeout: "30s" } } },
        services: {
          rag: mcpService(`${server.url}/mcp`, { headers: { Authorization: { fromEnv: "TG_UNSET_TOKEN" } } }),
        },
      }),
    });
    dirs.push(root);
    const env = { TG_UNSET_TOKEN: undefined };
    const probe = await runCli(["probe", "--root", root, "--env", "local", "--format", "json"], { env });
    expect(probe.code, probe.stderr).toBe(1);
    expect(JSON.parse(probe.stdout).results[0]).toMatchObject({
      stage: "config",
      detail: "environment variable not set: TG_UNSET_TOKEN",
    });
    const tools = await runCli(["mcp-tools", "--root", root, "--env", "local"], { env });
    expect(tools.code, tools.stderr).toBe(1);
    expect(tools.stdout).toContain("could not list tools: environment variable not set: TG_UNSET_TOKEN");
    expect(server.sessionsOpened()).toBe(0);
  });
});
