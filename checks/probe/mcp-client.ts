/**
 * One connection to an MCP server with the SDK's v2 client, in whichever protocol era the server
 * speaks: it offers the newest revision (2026-07-28: `server/discover`, per-request `_meta`, no
 * session) and falls back to the 2025 lifecycle (`initialize`, session) when the server gives no
 * modern answer. The caller ends it with endSession (mcp-transport.ts).
 */
import { Client, type Tool } from "@modelcontextprotocol/client";
import { mcpTransport, type McpTransportKind, type TransportOptions } from "./mcp-transport.js";

/** Most tools/list pages read; a server that pages forever cannot hold a probe. */
export const MAX_TOOL_PAGES = 64;

export function mcpConnection(
  endpoint: { url?: string; command?: string[] },
  kind: McpTransportKind,
  o: TransportOptions,
  name: string,
) {
  const { transport, guard } = mcpTransport(endpoint, kind, o);
  // Legacy SSE servers predate server/discover: the plain 2025 lifecycle, no probe request.
  const client = new Client(
    { name, version: "1" },
    {
      capabilities: {},
      versionNegotiation: { mode: kind === "sse" ? "legacy" : "auto" },
      listMaxPages: MAX_TOOL_PAGES,
    },
  );
  return { transport, guard, client };
}

/** The negotiated revision and era once connected. */
export function revisionOf(client: Client): { revision: string; era: "modern" | "legacy" } {
  return {
    revision: client.getNegotiatedProtocolVersion() ?? "unknown",
    era: client.getProtocolEra() === "modern" ? "modern" : "legacy",
  };
}

/** Every page of tools/list: without a cursor the SDK follows nextCursor (bounded by listMaxPages). */
export async function listAllTools(client: Client, timeoutMs: number): Promise<Tool[]> {
  return (await client.listTools(undefined, { timeout: timeoutMs })).tools;
}

/** True when `revision` is older than `min` (revisions are dates, so they sort as text). */
export function belowMinimum(revision: string, min: string | undefined): boolean {
  return !!min && (revision === "unknown" || revision < min);
}
