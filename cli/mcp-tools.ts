import { checkEnvironments } from "../model/environment-option.js";
import { Document, Scalar } from "yaml";
import { escapeTerminal, isTerminalSafe } from "../util/terminal-escape.js";
import { loadProject } from "../load/loader.js";
import { missingVariables, probeSettings } from "../model/probe-settings.js";
import { probeRedactor, redactError } from "../checks/probe/redact.js";
import { defaultProbeEnv, reservedHost } from "../checks/probe/runner.js";
import { EXIT_GATE, EXIT_INPUT, EXIT_OK, UsageError, emit, parseNow, printDiagnostics } from "./common.js";

export interface McpToolsOptions {
  root: string;
  env?: string;
  service?: string[];
  now?: string;
  write?: boolean;
}

/**
 * Prints each MCP server's tools with the input-schema hashes the probe compares (toolSchemas);
 * with --write, records their normalised snapshots in the lock file the probe classifies drift against.
 */
export async function mcpToolsCommand(o: McpToolsOptions): Promise<number> {
  const { project, diagnostics, ok } = await loadProject(o.root, { now: parseNow(o.now) });
  if (!ok) {
    printDiagnostics(diagnostics);
    return EXIT_INPUT;
  }
  const model = project.model;
  const env = o.env ?? defaultProbeEnv(model);
  if (!env) throw new UsageError(`pass --env with one of: ${[...model.environments.keys()].join(", ")}`);
  const unknown = checkEnvironments([env], model.environments);
  if (unknown.length) {
    printDiagnostics(unknown);
    return EXIT_INPUT;
  }
  const names = [...model.services]
    .filter(
      ([n, s]) =>
        s.kind === "mcp" && s.healthCheck?.mcp && s.endpoints[env] && (!o.service?.length || o.service.includes(n)),
    )
    .map(([n]) => n);
  if (names.length === 0)
    throw new UsageError(`no MCP service with an endpoint in ${env}${o.service?.length ? " among those named" : ""}`);
  // Header values read from the environment never reach the output or an error, in any form.
  const redactor = probeRedactor(model, process.env);
  const { listTools, schemaHash } = await import("../checks/probe/mcp.js");
  const { snapshotTools } = await import("../checks/probe/mcp-drift.js");
  const { writeMcpLock, MCP_LOCK_FILE } = await import("../checks/probe/mcp-lock.js");
  const lines: string[] = [];
  const update: Record<string, ReturnType<typeof snapshotTools>> = {};
  let failed = 0;
  for (const name of names) {
    const s = model.services.get(name)!;
    const ep = s.endpoints[env]!;
    // The same settings the probe uses: the environment's probe.timeout, and unset variables are a failure, not skipped.
    const settings = probeSettings(model, env, name, process.env);
    for (const v of settings.values) redactor.add(v);
    const { headers, serverEnv, oauth } = settings;
    const reserved = reservedHost(ep.url);
    try {
      if (reserved) throw new Error(`${reserved} is a reserved documentation hostname; not contacted`);
      if (settings.missing.length) throw new Error(missingVariables(settings.missing));
      if (oauth) {
        const { clientCredentialsToken } = await import("../checks/probe/mcp-oauth.js");
        const token = await clientCredentialsToken(oauth);
        redactor.add(token);
        headers.Authorization = `Bearer ${token}`;
      }
      const listed = await listTools(
        ep,
        s.healthCheck!.mcp!.transport,
        headers,
        settings.timeoutMs,
        s.healthCheck?.maxBodyBytes,
        serverEnv,
      );
      const tools = listed.tools
        .map((t) => ({ name: t.name, sha256: schemaHash(t.inputSchema) }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      if (o.write) {
        update[name] = snapshotTools(listed.tools);
        lines.push(
          `# ${name} (${env}): ${tools.length} tool${tools.length === 1 ? "" : "s"} recorded (protocol ${listed.revision})`,
        );
      } else
        lines.push(
          `# ${name} (${env}, protocol ${listed.revision}): paste under services.${name}.healthCheck.mcp`,
          toolSchemasYaml(tools),
          "",
        );
    } catch (e) {
      failed++;
      lines.push(
        `# ${name} (${env}): could not list tools: ${escapeTerminal(redactor.redact(String((e as Error)?.message ?? e)).split("\n")[0]!)}`,
        "",
      );
    }
  }
  // Only services that answered are rewritten; the others keep what was recorded.
  if (o.write && Object.keys(update).length) {
    await writeMcpLock(project.root, update).catch((e) => {
      throw new UsageError(String((e as Error).message), "Move the file away, or run without --write.");
    });
    lines.push(`wrote ${MCP_LOCK_FILE}`, "");
  }
  await emit({}, redactor.redact(lines.join("\n"))).catch((e) => {
    throw redactError(e, redactor);
  });
  return failed ? EXIT_GATE : EXIT_OK;
}

/**
 * Tool names come from the server: they are written as YAML keys by the yaml library (quoted when
 * needed), so a name can never add lines or keys; names with control or bidi characters are
 * double-quoted with every such character escaped.
 */
export function toolSchemasYaml(tools: { name: string; sha256: string }[]): string {
  const doc = new Document({});
  const map = doc.createNode(new Map<unknown, unknown>()) as any;
  for (const t of tools) {
    const key = new Scalar(t.name);
    if (!isTerminalSafe(t.name)) key.type = Scalar.QUOTE_DOUBLE;
    map.add(doc.createPair(key, t.sha256));
  }
  doc.contents = doc.createNode({}) as any;
  (doc.contents as any).add(doc.createPair("toolSchemas", map));
  return doc.toString({ lineWidth: 0 }).trimEnd().split("\n").map(escapeTerminal).join("\n");
}
