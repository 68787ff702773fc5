/**
 * Deep MCP probe with the SDK's v2 client: health endpoint (if any) → discover (2026-07-28) or
 * initialize (2025 era) → minimum revision → ping (2025 era only; 2026-07-28 has none) → tools/list
 * (every page) → required tools → drift (sha256 pins and the lock file) → optional smoke call, its
 * structuredContent checked against the tool's outputSchema. The result names the stage that
 * failed and the revision the server speaks; a failure's detail lists the stages that passed.
 * Every path ends the session it opened (mcp-transport.ts endSession).
 *
 * Over ~250 lines (Biome, 120 columns) on purpose: the probe's stages share one session and one deadline, and every exit must end the session; transport, client, drift, OAuth and output checks are their own modules.
 */
import { createHash } from "node:crypto";
import type { ServiceT } from "../../model/schema.js";
import { failFromHttpError, probeHttp, type ProbeEnv } from "./http.js";
import { belowMinimum, listAllTools, mcpConnection, revisionOf } from "./mcp-client.js";
import { classifyDrift, driftCounts, snapshotTools, type LockedTools } from "./mcp-drift.js";
import { clientCredentialsToken, type ClientCredentials } from "./mcp-oauth.js";
import { checkStructuredContent } from "./mcp-output.js";
import { endSession, MCP_MAX_RESPONSE_BYTES, type McpTransportKind } from "./mcp-transport.js";
import { ProbeFailure, type McpInfo, type Outcome, type Stage } from "./types.js";
import { plural } from "../../util/plural.js";

/** Deeper than any real tool schema; bounded so a hostile one fails clearly instead of overflowing the stack. */
export const MAX_SCHEMA_DEPTH = 256;

export class SchemaTooDeepError extends Error {
  readonly code = "mcp-schema-too-deep";
  constructor() {
    super(
      `mcp-schema-too-deep: a tool schema nests deeper than ${MAX_SCHEMA_DEPTH} levels; it cannot be read, hashed or compared`,
    );
  }
}

/**
 * tools/list through the SDK: a schema nested thousands of levels overflows the stack inside the
 * SDK's own parsing before any bounded walk of ours sees it; that is reported as too deep.
 */
async function listToolsBounded(client: Parameters<typeof listAllTools>[0], timeoutMs: number) {
  try {
    return await listAllTools(client, timeoutMs);
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw new SchemaTooDeepError();
    throw e;
  }
}

/** Canonical JSON (sorted keys) so the same schema always hashes the same; at most MAX_SCHEMA_DEPTH levels. */
export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > MAX_SCHEMA_DEPTH) throw new SchemaTooDeepError();
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, depth + 1)).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k], depth + 1)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

export function schemaHash(schema: unknown): string {
  return createHash("sha256")
    .update(canonicalJson(schema ?? {}))
    .digest("hex");
}

function isNetworkError(e: unknown): boolean {
  const text = `${(e as Error)?.message ?? ""} ${String((e as { cause?: unknown })?.cause ?? "")}`;
  return /ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|fetch failed|socket hang up|ENOENT|spawn/i.test(text);
}

export interface McpProbeExtras {
  /** stdio: the server's variables, already read from the environment by name. */
  serverEnv?: Record<string, string>;
  /** The service's tools as `mcp-tools --write` recorded them (drift against the lock file). */
  lock?: LockedTools;
  /** Client credentials: a bearer token is fetched before connecting. */
  oauth?: ClientCredentials;
  /** Adds a value (the access token) to the run's redactor. */
  redact?: (value: string) => void;
}

/** Connects like the probe does and returns each tool as listed (for pinning and the lock file). */
export async function listTools(
  endpoint: { url?: string; command?: string[] },
  kind: McpTransportKind,
  headers: Record<string, string>,
  timeoutMs: number,
  maxBytes = MCP_MAX_RESPONSE_BYTES,
  serverEnv: Record<string, string> = {},
) {
  const { transport, guard, client } = mcpConnection(
    endpoint,
    kind,
    { headers, maxBytes, env: serverEnv },
    "tollgate-mcp-tools",
  );
  try {
    await client.connect(transport, { timeout: timeoutMs });
    return { ...revisionOf(client), tools: await listToolsBounded(client, timeoutMs) };
  } catch (e) {
    throw guard.tooLarge ? new Error(`response-too-large: ${guard.tooLarge}`) : e;
  } finally {
    await endSession(client, transport);
  }
}

export async function probeMcp(
  endpoint: { url?: string; health?: string; command?: string[] },
  service: ServiceT,
  env: ProbeEnv,
  extras: McpProbeExtras = {},
): Promise<Outcome> {
  const mcp = service.healthCheck!.mcp!;
  const started = Date.now();
  const deadline = started + env.timeoutMs;
  const left = () => Math.max(1, deadline - Date.now());
  // The stages that passed, so a failure reads "health 5 ms ✓, initialize ✓ (2025-11-25), … → tool call ✗: …".
  const passed: string[] = [];
  const info: McpInfo = {};
  let guard: { tooLarge?: string; stderr?: () => string } = {};
  // A response over the byte cap surfaces as whatever the SDK makes of the aborted body: name the cause.
  const fail = (stage: Stage, step: string, detail: string): never => {
    throw new ProbeFailure({
      stage: guard.tooLarge ? "response-too-large" : stage,
      latencyMs: Date.now() - started,
      detail: `${passed.length ? `${passed.join(", ")} → ` : ""}${step} ✗: ${guard.tooLarge ?? detail}`,
      mcp: info,
    });
  };

  let healthNote = "";
  if (endpoint.health) {
    try {
      const h = await probeHttp(
        endpoint.health,
        {
          ...service,
          healthCheck: {
            ...service.healthCheck,
            expect: {
              ...(service.healthCheck?.expect?.status !== undefined
                ? { status: service.healthCheck.expect.status }
                : {}),
            },
          },
        },
        { ...env, timeoutMs: left() },
      );
      healthNote = `health ${h.latencyMs} ms; `;
      passed.push(`health ${h.latencyMs} ms ✓`);
    } catch (e) {
      if (e instanceof ProbeFailure)
        fail(e.outcome.stage === "timeout" ? "timeout" : "health", "health", e.outcome.detail);
      throw e;
    }
  }

  let headers = env.headers;
  if (extras.oauth) {
    try {
      const bounded = AbortSignal.timeout(left());
      const token = await clientCredentialsToken(
        extras.oauth,
        env.signal ? AbortSignal.any([env.signal, bounded]) : bounded,
      );
      extras.redact?.(token);
      headers = { ...headers, Authorization: `Bearer ${token}` };
    } catch (e) {
      fail(
        "auth",
        "oauth token",
        `token request to ${new URL(extras.oauth.tokenUrl).host} failed: ${(e as Error).message}`,
      );
    }
    passed.push("oauth token ✓");
  }

  const maxBytes = service.healthCheck?.maxBodyBytes ?? MCP_MAX_RESPONSE_BYTES;
  const {
    transport,
    guard: capped,
    client,
  } = mcpConnection(
    endpoint,
    mcp.transport,
    { headers, maxBytes, env: extras.serverEnv ?? {}, ...(env.signal ? { signal: env.signal } : {}) },
    "tollgate-probe",
  );
  guard = capped;
  const stop = () => {
    void endSession(client, transport);
  };
  const timer = setTimeout(stop, left());
  env.signal?.addEventListener("abort", stop, { once: true });
  try {
    try {
      await client.connect(transport, { timeout: left() });
    } catch (e) {
      // A stdio server that died at start: show the end of what it wrote on standard error.
      const stderr = guard.stderr?.();
      const why = stderr ? `; server stderr: …${stderr.slice(-300)}` : "";
      if (Date.now() >= deadline) fail("timeout", "initialize", `no MCP handshake within ${env.timeoutMs} ms${why}`);
      if (isNetworkError(e)) fail("connect", "connect", `cannot connect: ${(e as Error).message}${why}`);
      fail("initialize", "initialize", `initialize failed: ${(e as Error).message}${why}`);
    }
    const { revision, era } = revisionOf(client);
    info.revision = revision;
    passed.push(`${era === "modern" ? "discover" : "initialize"} ✓ (${revision})`);
    if (belowMinimum(revision, mcp.minProtocol))
      fail("protocol", "protocol revision", `server speaks ${revision}, below the declared minimum ${mcp.minProtocol}`);
    if (era === "legacy") {
      try {
        await client.ping({ timeout: left() });
      } catch (e) {
        fail("ping", "ping", `ping failed: ${(e as Error).message}`);
      }
      passed.push("ping ✓");
    }
    let tools;
    try {
      tools = await listToolsBounded(client, left());
    } catch (e) {
      if (e instanceof SchemaTooDeepError) fail("drift", "tools/list", e.message);
      fail("initialize", "tools/list", `tools/list failed: ${(e as Error).message}`);
    }
    passed.push("tools/list ✓");
    const names = new Set(tools!.map((t) => t.name));
    const missing = mcp.requiredTools.filter((t) => !names.has(t));
    if (missing.length)
      fail(
        "tools-missing",
        "required tools",
        `required tool${missing.length === 1 ? "" : "s"} missing: ${missing.join(", ")}`,
      );
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
      if (actual! !== expected)
        fail(
          "drift",
          "tool schemas",
          `input schema of ${tool} changed (sha256 ${actual!.slice(0, 12)}…, manifest ${expected.slice(0, 12)}…)`,
        );
    }
    let driftNote = "";
    if (extras.lock) {
      let changes;
      try {
        changes = classifyDrift(extras.lock, snapshotTools(tools!));
      } catch (e) {
        fail("drift", "drift", `cannot compare with the lock file: ${(e as Error).message}`);
      }
      info.drift = driftCounts(changes!);
      info.changes = changes!;
      const breaking = changes!.filter((c) => c.class === "breaking");
      if (breaking.length)
        fail(
          "drift",
          "drift",
          `breaking change${breaking.length === 1 ? "" : "s"} against the lock file: ${breaking.map((c) => `${c.tool}: ${c.detail}`).join("; ")}`,
        );
      const others = changes!.filter((c) => c.class !== "breaking");
      driftNote = others.length
        ? `; drift ${info.drift.warning} warning, ${info.drift.info} info: ${others.map((c) => `${c.tool}: ${c.detail}`).join("; ")}`
        : "; matches the lock file";
      passed.push("drift ✓");
    }
    if (mcp.smoke) {
      let result;
      try {
        result = await client.callTool({ name: mcp.smoke.tool, arguments: mcp.smoke.arguments }, { timeout: left() });
      } catch (e) {
        // A server that initializes and lists its tools but hangs in a tool call is a broken tool,
        // not a down server: the tool stage failed, so McpToolFailing fires (not only ServiceDown).
        if (Date.now() >= deadline)
          fail("tool-error", "tool call", `${mcp.smoke.tool} did not answer within ${env.timeoutMs} ms (timeout)`);
        // The SDK checks structuredContent against the outputSchema itself; name the stage the same way.
        if (/output schema|structured content/i.test((e as Error).message))
          fail("tool-error", "tool output", `${mcp.smoke.tool}: ${(e as Error).message}`);
        fail("tool-error", "tool call", `${mcp.smoke.tool} failed: ${(e as Error).message}`);
      }
      if (result!.isError) {
        const text = Array.isArray(result!.content)
          ? result!.content
              .map((c: any) => (c?.type === "text" ? c.text : ""))
              .join(" ")
              .trim()
          : "";
        fail("tool-error", "tool call", `${mcp.smoke.tool} returned an error${text ? `: ${text.slice(0, 4000)}` : ""}`);
      }
      const tool = tools!.find((t) => t.name === mcp.smoke!.tool);
      const bad = checkStructuredContent(tool?.outputSchema, result!.structuredContent);
      if (bad) fail("tool-error", "tool output", `${mcp.smoke.tool}: ${bad}`);
    }
    return {
      stage: "ok",
      latencyMs: Date.now() - started,
      mcp: info,
      detail: `${healthNote}${revision}; ${plural(names.size, "tool")}${mcp.smoke ? `, ${mcp.smoke.tool} ok` : "; no smoke call: tools not exercised"}${driftNote}`,
    };
  } finally {
    clearTimeout(timer);
    env.signal?.removeEventListener("abort", stop);
    await endSession(client, transport);
  }
}

export { failFromHttpError };
