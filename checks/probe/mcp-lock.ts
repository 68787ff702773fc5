/**
 * The MCP tool lock file, `mcp-tools.lock.yaml` at the project root (beside tollgate.yaml and the
 * manifests): each MCP service's tools as `tollgate mcp-tools --write` recorded them, normalised
 * (sorted keys, no `$schema`) so a diff in review shows exactly what changed. The probe classifies
 * drift against it (mcp-drift.ts). Tollgate writes the file only if it is absent or its own.
 */
import { lstat, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse, stringify } from "yaml";
import { z } from "zod";
import type { Diagnostic } from "../../model/diagnostics.js";
import type { LockedTools } from "./mcp-drift.js";

export const MCP_LOCK_FILE = "mcp-tools.lock.yaml";
const HEADER =
  "# Written by `tollgate mcp-tools --write`: the MCP tools each service's probe compares against.\n# Review changes like code; rewrite it with the same command after an intended change.\n";

const json: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(json), z.record(z.string(), json)]),
);
const Snapshot = z.strictObject({
  description: z.string().optional(),
  annotations: z.record(z.string(), json).optional(),
  inputSchema: json,
  outputSchema: json.optional(),
});
const LockFile = z.strictObject({
  version: z.literal(1),
  services: z.record(z.string(), z.strictObject({ tools: z.record(z.string(), Snapshot) })),
});

export type McpLock = Record<string, LockedTools>;

export function lockPath(root: string): string {
  return path.join(root, MCP_LOCK_FILE);
}

/** The lock, undefined when there is none; a file that is not a valid lock is a diagnostic (exit 2). */
export async function readMcpLock(root: string): Promise<{ lock?: McpLock; diagnostics: Diagnostic[] }> {
  const file = lockPath(root);
  const problem = (message: string, hint: string): { diagnostics: Diagnostic[] } => ({
    diagnostics: [{ code: "mcp-lock-invalid", severity: "error", message, hint, file: MCP_LOCK_FILE, line: 1, col: 1 }],
  });
  let info;
  try {
    info = await lstat(file);
  } catch {
    return { diagnostics: [] };
  }
  // A link could point outside the project root: only a regular file is read.
  if (!info.isFile())
    return problem("is not a regular file", "Replace it with the file `tollgate mcp-tools --write` writes.");
  let data: unknown;
  try {
    data = parse(await readFile(file, "utf8"), { maxAliasCount: 100 });
  } catch (e) {
    return problem(
      `is not valid YAML: ${(e as Error).message.split("\n")[0]}`,
      "Rewrite it with `tollgate mcp-tools --write`.",
    );
  }
  const parsed = LockFile.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return problem(
      `${issue.path.join(".") || "(top)"}: ${issue.message}`,
      "Rewrite it with `tollgate mcp-tools --write`.",
    );
  }
  return {
    lock: Object.fromEntries(Object.entries(parsed.data.services).map(([s, v]) => [s, v.tools as LockedTools])),
    diagnostics: [],
  };
}

/** Deterministic text: services and tools sorted, keys sorted inside schemas (normalised before). */
export function renderMcpLock(lock: McpLock): string {
  const services: Record<string, { tools: LockedTools }> = {};
  for (const name of Object.keys(lock).sort()) services[name] = { tools: lock[name]! };
  return (
    HEADER + stringify({ version: 1, services }, { lineWidth: 0, sortMapEntries: true, aliasDuplicateObjects: false })
  );
}

/** Writes the lock, merging `update` over what is recorded; refuses a file Tollgate did not write. */
export async function writeMcpLock(root: string, update: McpLock): Promise<void> {
  const file = lockPath(root);
  let existing: McpLock = {};
  const info = await lstat(file).catch(() => undefined);
  if (info) {
    const text = info.isFile() ? await readFile(file, "utf8") : "";
    if (!text.startsWith(HEADER.split("\n")[0]!))
      throw new Error(`${MCP_LOCK_FILE} exists and was not written by Tollgate; not overwritten`);
    const read = await readMcpLock(root);
    if (read.diagnostics.length) throw new Error(`${MCP_LOCK_FILE}: ${read.diagnostics[0]!.message}`);
    existing = read.lock ?? {};
  }
  await writeFile(file, renderMcpLock({ ...existing, ...update }));
}
