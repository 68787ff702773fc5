/**
 * Deep MCP probe with the SDK's client: health endpoint (if any) → connect/initialize → ping →
 * tools/list → required tools present → input-schema drift → optional smoke call. The result
 * names the stage that failed: a server whose health endpoint answers but whose tools throw (or
 * hang) is unhealthy at "tool-error". A failure's detail lists the stages that passed before it.
 */
import { createHash } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { ServiceT } from "../../model/schema.js";
import { failFromHttpError, probeHttp, type ProbeEnv } from "./http.js";
import { MCP_MAX_RESPONSE_BYTES, mcpTransport, type TransportOptions } from "./mcp-transport.js";
import { ProbeFailure, type Outcome, type Stage } from "./types.js";

/** Deeper than any real tool schema; bounded so a hostile one fails clearly instead of overflowing the stack. */
export const MAX_SCHEMA_DEPTH = 256;

export class SchemaTooDeepError extends Error {
  readonly code = "mcp-schema-too-deep";
  constructor() {
    super(`mcp-schema-too-deep: the input schema nests deeper than ${MAX_SCHEMA_DEPTH} levels; it cannot be hashed or compared`);
  }
}

/** Canonical JSON (sorted keys) so the same schema always hashes the same; at most MAX_SCHEMA_DEPTH levels. */
export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > MAX_SCHEMA_DEPTH) throw new SchemaTooDeepError();
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, depth + 1)).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k], depth + 1)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function schemaHash(schema: unknown): string {
  return createHash("sha256").update(canonicalJson(schema ?? {})).digest("hex");
}

function isNetworkError(e: unknown): boolean {
  const text = `${(e as Error)?.message ?? ""} ${String((e as { cause?: unknown })?.cause ?? "")}`;
  return /ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|fetch failed|socket hang up|ENOENT|spawn/i.test(text);
}

/** An SDK client and the transport the manifest declares (not yet connected), with byte caps. */
function clientFor(endpoint: { url?: string; command?: string[] }, transportKind: "streamable-http" | "stdio", o: TransportOptions, name: string) {
  const { transport, guard } = mcpTransport(endpoint, transportKind, o);
  return { transport, guard, client: new Client({ name, version: "1" }, { capabilities: {} }) };
}

/** Connects like the probe does and returns each tool's name and input-schema hash (for pinning). */
export async function listToolHashes(endpoint: { url?: string; command?: string[] }, transportKind: "streamable-http" | "stdio", headers: Record<string, string>, timeoutMs: number, maxBytes = MCP_MAX_RESPONSE_BYTES): Promise<{ name: string; sha256: string }[]> {
  const { transport, guard, client } = clientFor(endpoint, transportKind, { headers, maxBytes }, "tollgate-mcp-tools");
  try {
    await client.connect(transport, { timeout: timeoutMs });
    const { tools } = await client.listTools(undefined, { timeout: timeoutMs });
    return tools.map((t) => ({ name: t.name, sha256: schemaHash(t.inputSchema) })).sort((a, b) => a.name.localeCompare(b.name));
  } catch (e) {
    throw guard.tooLarge ? new Error(`response-too-large: ${guard.tooLarge}`) : e;
  } finally {
    await client.close().catch(() => undefined);
  }
}

export async function probeMcp(endpoint: { url?: string; health?: string; command?: string[] }, service: ServiceT, env: ProbeEnv): Promise<Outcome> {
  const mcp = service.healthCheck!.mcp!;
  const started = Date.now();
  const deadline = started + env.timeoutMs;
  const left = () => Math.max(1, deadline - Date.now());
  // The stages that passed, so a failure reads "health 5 ms ✓, initialize ✓, … → tool call ✗: …".
  const passed: string[] = [];
  let guard: { tooLarge?: string } = {};
  // A response over the byte cap surfaces as whatever the SDK makes of the aborted body: name the cause.
  const fail = (stage: Stage, step: string, detail: string): never => {
    throw new ProbeFailure({ stage: guard.tooLarge ? "response-too-large" : stage, latencyMs: Date.now() - started, detail: `${passed.length ? `${passed.join(", ")} → ` : ""}${step} ✗: ${guard.tooLarge ?? detail}` });
  };

  let healthNote = "";
  if (endpoint.health) {
    try {
      const h = await probeHttp(endpoint.health, { ...service, healthCheck: { ...service.healthCheck, expect: { ...(service.healthCheck?.expect?.status !== undefined ? { status: service.healthCheck.expect.status } : {}) } } }, { ...env, timeoutMs: left() });
      healthNote = `health ${h.latencyMs} ms; `;
      passed.push(`health ${h.latencyMs} ms ✓`);
    } catch (e) {
      if (e instanceof ProbeFailure) fail(e.outcome.stage === "timeout" ? "timeout" : "health", "health", e.outcome.detail);
      throw e;
    }
  }

  const maxBytes = service.healthCheck?.maxBodyBytes ?? MCP_MAX_RESPONSE_BYTES;
  const { transport, guard: capped, client } = clientFor(endpoint, mcp.transport, { headers: env.headers, maxBytes, ...(env.signal ? { signal: env.signal } : {}) }, "tollgate-probe");
  guard = capped;
  const stop = () => { void client.close().catch(() => undefined); };
  const timer = setTimeout(stop, left());
  env.signal?.addEventListener("abort", stop, { once: true });
  try {
    try {
      await client.connect(transport, { timeout: left() });
    } catch (e) {
      if (Date.now() >= deadline) fail("timeout", "initialize", `no MCP handshake within ${env.timeoutMs} ms`);
      if (isNetworkError(e)) fail("connect", "connect", `cannot connect: ${(e as Error).message}`);
      fail("initialize", "initialize", `initialize failed: ${(e as Error).message}`);
    }
    passed.push("initialize ✓");
    try {
      await client.ping({ timeout: left() });
    } catch (e) {
      fail("ping", "ping", `ping failed: ${(e as Error).message}`);
    }
    passed.push("ping ✓");
    let tools;
    try {
      tools = (await client.listTools(undefined, { timeout: left() })).tools;
    } catch (e) {
      fail("initialize", "tools/list", `tools/list failed: ${(e as Error).message}`);
    }
    passed.push("tools/list ✓");
    const names = new Set(tools!.map((t) => t.name));
    const missing = mcp.requiredTools.filter((t) => !names.has(t));
    if (missing.length) fail("tools-missing", "required tools", `required tool${missing.length === 1 ? "" : "s"} missing: ${missing.join(", ")}`);
    for (const [tool, expected] of Object.entries(mcp.toolSchemas ?? {})) {
      const t = tools!.find((x) => x.name === tool);
      if (!t) continue;
      let actual: string;
      try {
        actual = schemaHash(t.inputSchema);
      } catch (e) {
        if (e instanceof SchemaTooDeepError) fail("drift", "tool schemas", `input schema of ${tool}: ${e.message}`);
        throw e;
      }
      if (actual! !== expected) fail("drift", "tool schemas", `input schema of ${tool} changed (sha256 ${actual!.slice(0, 12)}…, manifest ${expected.slice(0, 12)}…)`);
    }
    if (mcp.smoke) {
      let result;
      try {
        result = await client.callTool({ name: mcp.smoke.tool, arguments: mcp.smoke.arguments }, undefined, { timeout: left() });
      } catch (e) {
        // A server that initializes and lists its tools but hangs in a tool call is a broken tool,
        // not a down server: the tool stage failed, so McpToolFailing fires (not only ServiceDown).
        if (Date.now() >= deadline) fail("tool-error", "tool call", `${mcp.smoke.tool} did not answer within ${env.timeoutMs} ms (timeout)`);
        fail("tool-error", "tool call", `${mcp.smoke.tool} failed: ${(e as Error).message}`);
      }
      if (result!.isError) {
        const text = Array.isArray(result!.content) ? result!.content.map((c: any) => (c?.type === "text" ? c.text : "")).join(" ").trim() : "";
        fail("tool-error", "tool call", `${mcp.smoke.tool} returned an error${text ? `: ${text.slice(0, 4000)}` : ""}`);
      }
    }
    return { stage: "ok", latencyMs: Date.now() - started, detail: `${healthNote}${names.size} tools${mcp.smoke ? `, ${mcp.smoke.tool} ok` : "; no smoke call: tools not exercised"}` };
  } finally {
    clearTimeout(timer);
    env.signal?.removeEventListener("abort", stop);
    await client.close().catch(() => undefined);
  }
}

export { failFromHttpError };
