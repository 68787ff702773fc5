/**
 * The MCP SDK (v2) transports the probe and `mcp-tools` use, with the same network rules as the HTTP
 * probe: a byte cap on every response (Streamable HTTP: each response body; stdio: each message
 * line on standard output), no reserved names, and credentials only for the declared origin.
 * The SDK itself follows redirects only within the origin; the fetch below drops the configured
 * headers for any other scheme, host or port anyway, so a credential never leaves its origin.
 */
import { SSEClientTransport, StreamableHTTPClientTransport, type Transport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { reservedHost, reservedMessage } from "./reserved-host.js";

/** Default cap per MCP response (a tools list with hundreds of tools fits well inside it). */
export const MCP_MAX_RESPONSE_BYTES = 4 * 1_048_576;

export interface TransportGuard {
  /** Set when a response went over the cap: the probe reports `response-too-large`. */
  tooLarge?: string;
  /** stdio: the end of what the server wrote on standard error (shown when it dies). */
  stderr?: () => string;
}

export interface TransportOptions {
  headers: Record<string, string>;
  maxBytes: number;
  signal?: AbortSignal;
  /** stdio: variables for the server, taken by name from the probing process's environment. */
  env?: Record<string, string>;
}

type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

function sameOrigin(a: URL, b: URL): boolean {
  return a.protocol === b.protocol && a.hostname === b.hostname && a.port === b.port;
}

/** fetch for the Streamable HTTP transport: origin-bound credentials, no reserved names, capped bodies. */
export function guardedFetch(declared: URL, o: TransportOptions, guard: TransportGuard): FetchLike {
  const configured = new Set(Object.keys(o.headers).map((h) => h.toLowerCase()));
  return async (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    const reserved = reservedHost(url);
    if (reserved) throw new Error(reservedMessage(reserved));
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw new Error(`${url.protocol} URLs are not contacted`);
    const headers = new Headers(init?.headers);
    if (!sameOrigin(url, declared)) {
      const names: string[] = [];
      headers.forEach((_v, h) => names.push(h));
      for (const h of names) if (configured.has(h) || h === "authorization" || h === "cookie") headers.delete(h);
    }
    const signal =
      o.signal && init?.signal ? AbortSignal.any([o.signal, init.signal]) : (o.signal ?? init?.signal ?? undefined);
    // The SDK asks for manual redirects and follows same-origin ones itself; never let fetch follow others.
    const res = await fetch(url, { ...init, headers, redirect: "manual", ...(signal ? { signal } : {}) });
    if (!res.body || [101, 103, 204, 205, 304].includes(res.status)) return res;
    const tooLarge = () => {
      guard.tooLarge = `MCP response from ${url.host} exceeds ${o.maxBytes} bytes`;
      return new Error(guard.tooLarge);
    };
    const declaredLength = Number(res.headers.get("content-length") ?? "0");
    if (declaredLength > o.maxBytes) {
      await res.body.cancel().catch(() => undefined);
      throw tooLarge();
    }
    let seen = 0;
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > o.maxBytes) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    });
    return new Response(res.body.pipeThrough(counter), {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  };
}

/** Bytes of a stdio server's standard error kept (the end of it): enough to show why it died. */
export const STDERR_KEEP_BYTES = 4096;

/** The last `keep` bytes written to a stream, for showing after a failure. */
function tail(stream: NodeJS.ReadableStream | null, keep: number): () => string {
  let kept = Buffer.alloc(0);
  stream?.on("data", (chunk: Buffer) => {
    kept = Buffer.concat([kept, chunk]);
    if (kept.length > keep) kept = kept.subarray(kept.length - keep);
  });
  return () =>
    kept
      .toString("utf8")
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
      .trim();
}

/** How long ending a session may take; a server that ignores the DELETE cannot hold a probe. */
const END_SESSION_MS = 2_000;

/**
 * Ends what the probe opened: the HTTP DELETE that ends a Streamable HTTP session (a server keeps
 * every session it is not told to end), then the client (on stdio that ends the server process).
 * Never throws: a server that refuses the DELETE (405 is allowed by the spec) is still closed.
 */
export async function endSession(client: { close: () => Promise<void> }, transport: Transport): Promise<void> {
  if (transport instanceof StreamableHTTPClientTransport && transport.sessionId) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      transport.terminateSession().catch(() => undefined),
      new Promise<void>((r) => {
        timer = setTimeout(r, END_SESSION_MS);
      }),
    ]);
    clearTimeout(timer);
  }
  await client.close().catch(() => undefined);
}

export type McpTransportKind = "streamable-http" | "sse" | "stdio";

export function mcpTransport(
  endpoint: { url?: string; command?: string[] },
  kind: McpTransportKind,
  o: TransportOptions,
): { transport: Transport; guard: TransportGuard } {
  const guard: TransportGuard = {};
  if (kind === "stdio") {
    // The SDK's own class (not a subclass), so the era probe runs on a throw-away sibling process;
    // maxBufferSize caps one message on standard output.
    const transport = new StdioClientTransport({
      command: endpoint.command![0]!,
      args: endpoint.command!.slice(1),
      env: o.env ?? {},
      stderr: "pipe",
      maxBufferSize: o.maxBytes,
    });
    guard.stderr = tail(transport.stderr as NodeJS.ReadableStream | null, STDERR_KEEP_BYTES);
    // Set before connect: the client chains a handler it finds, so this sees the overflow error.
    transport.onerror = (e) => {
      if (/ReadBuffer exceeded/.test(e.message) && !guard.tooLarge)
        guard.tooLarge = `MCP server wrote a message over ${o.maxBytes} bytes on standard output`;
    };
    return { transport, guard };
  }
  const url = new URL(endpoint.url!);
  const options = { requestInit: { headers: o.headers }, fetch: guardedFetch(url, o, guard) };
  return {
    transport: kind === "sse" ? new SSEClientTransport(url, options) : new StreamableHTTPClientTransport(url, options),
    guard,
  };
}
