/**
 * OAuth 2.1 client credentials against a token endpoint on 127.0.0.1 and a real SDK server that
 * requires the bearer token: the id and secret come from the environment by name, the secret goes
 * only to the token endpoint (HTTP Basic), the token only to the MCP server, and neither is shown.
 */
import { afterAll, describe, expect, it } from "vitest";
import { buildModel } from "../../model/build.js";
import { renderJson, renderText } from "../../checks/probe/output.js";
import { Redactor, runProbes } from "../../checks/probe/runner.js";
import type { ProbeResult } from "../../checks/probe/types.js";
import { startHttp } from "../helpers/listen.js";
import { startModernMcp } from "../helpers/mcp-modern.js";

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
});

// Built at run time, never literals a scanner would take for real credentials.
const CLIENT = ["tg", "client"].join("-");
const SECRET = ["s3c", "Ret", "Vq9", "Lw2"].join("");
const TOKEN = ["at", "Zx7", "Pq4", "Mn8"].join("");

async function tokenEndpoint() {
  const requests: { auth: string; body: string }[] = [];
  const s = await startHttp((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      requests.push({ auth: String(req.headers.authorization ?? ""), body });
      const basic = `Basic ${Buffer.from(`${CLIENT}:${SECRET}`).toString("base64")}`;
      const params = new URLSearchParams(body);
      res.setHeader("content-type", "application/json");
      if (req.headers.authorization !== basic || params.get("grant_type") !== "client_credentials") {
        res.statusCode = 401;
        res.end(JSON.stringify({ error: "invalid_client" }));
        return;
      }
      res.end(
        JSON.stringify({
          access_token: TOKEN,
          token_type: "Bearer",
          expires_in: 300,
          scope: params.get("scope") ?? "",
        }),
      );
    });
  });
  closers.push(s.close);
  return { ...s, requests };
}

const service = (mcpUrl: string, tokenUrl: string) => ({
  kind: "mcp",
  owner: "t",
  tier: "high",
  endpoints: { local: { url: `${mcpUrl}/mcp` } },
  healthCheck: {
    timeout: "30s",
    retries: 1,
    mcp: {
      transport: "streamable-http",
      requiredTools: ["query_support"],
      smoke: { tool: "query_support", arguments: { query: "q" } },
      oauth: {
        tokenUrl: `${tokenUrl}/oauth/token`,
        clientId: { fromEnv: "TG_MCP_CLIENT" },
        clientSecret: { fromEnv: "TG_MCP_SECRET" },
        scope: "mcp:tools",
      },
    },
  },
});

async function probe(
  services: Record<string, unknown>,
  environment: Record<string, string>,
): Promise<{ results: Record<string, ProbeResult>; redactor: Redactor }> {
  const model = buildModel({ environments: { local: { deployed: true } }, services } as any);
  const redactor = new Redactor();
  const { results } = await runProbes(model, { env: "local", concurrency: 2, environment, baseDelayMs: 10, redactor });
  return { results: Object.fromEntries(results.map((r) => [r.service, r])), redactor };
}

describe("OAuth client credentials", () => {
  it("a server that requires a bearer token probes healthy with a token from the declared endpoint; a wrong secret fails at auth", async () => {
    const auth = await tokenEndpoint();
    const mcp = await startModernMcp({ bearer: TOKEN });
    closers.push(mcp.close);
    const { results, redactor } = await probe(
      { rag: service(mcp.url, auth.url) },
      { TG_MCP_CLIENT: CLIENT, TG_MCP_SECRET: SECRET },
    );
    expect(results.rag).toMatchObject({ status: "healthy", stage: "ok", mcp: { revision: "2026-07-28" } });
    expect(auth.requests).toHaveLength(1);
    expect(new URLSearchParams(auth.requests[0]!.body).get("scope")).toBe("mcp:tools");
    // The secret went to the token endpoint only in the Basic header, never in the body.
    expect(auth.requests[0]!.body).not.toContain(SECRET);
    const out =
      renderText("local", Object.values(results), undefined, redactor) +
      renderJson("2026-11-24", "local", Object.values(results), redactor);
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain(SECRET);

    const wrong = await probe(
      { rag: service(mcp.url, auth.url) },
      { TG_MCP_CLIENT: CLIENT, TG_MCP_SECRET: "not-the-secret" },
    );
    expect(wrong.results.rag).toMatchObject({ status: "unhealthy", stage: "auth" });
    expect(wrong.results.rag!.detail).toMatch(/^oauth token ✗: token request to 127\.0\.0\.1:\d+ failed: /);
  }, 60_000);

  it("without the token the server refuses the probe; unset credentials are a configuration error", async () => {
    const mcp = await startModernMcp({ bearer: TOKEN });
    closers.push(mcp.close);
    const plain = {
      ...service(mcp.url, "http://127.0.0.1:9"),
      healthCheck: {
        timeout: "30s",
        retries: 1,
        mcp: { transport: "streamable-http", requiredTools: ["query_support"] },
      },
    };
    const { results } = await probe({ plain, unset: service(mcp.url, "http://127.0.0.1:9") }, {});
    expect(results.plain!.status).toBe("unhealthy");
    expect(results.plain!.detail).toMatch(/401|authoriz/i);
    expect(results.unset).toMatchObject({
      status: "unhealthy",
      stage: "config",
      detail: "environment variables not set: TG_MCP_CLIENT, TG_MCP_SECRET",
    });
  }, 60_000);
});
