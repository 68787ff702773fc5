/**
 * What contacting one service in one environment takes, resolved once for every command that does
 * it (probe, serve, mcp-tools): the timeout, the header values and stdio server variables read from
 * the environment by name, OAuth client credentials, and which named variables are not set.
 */
import { durationMs } from "./duration.js";
import type { Model } from "./model.js";

export const DEFAULT_PROBE_TIMEOUT_MS = 10_000;

export interface ProbeSettings {
  /** --timeout, else the service's healthCheck.timeout, else the environment's probe.timeout, else 10 s. */
  timeoutMs: number;
  headers: Record<string, string>;
  /** Variables passed to a stdio MCP server. */
  serverEnv: Record<string, string>;
  oauth?: { tokenUrl: string; clientId: string; clientSecret: string; scope?: string };
  /** Named variables that are not set: contacting the service is a config failure. */
  missing: string[];
  /** Every value read from the environment, for the redactor. */
  values: string[];
}

export function probeSettings(
  model: Model,
  env: string,
  service: string,
  environment: NodeJS.ProcessEnv,
  timeoutOverrideMs?: number,
): ProbeSettings {
  const s = model.services.get(service)!;
  const hc = s.healthCheck ?? {};
  const envTimeout = model.environments.get(env)?.probe?.timeout;
  const timeoutMs =
    timeoutOverrideMs ??
    (hc.timeout ? durationMs(hc.timeout) : envTimeout ? durationMs(envTimeout) : DEFAULT_PROBE_TIMEOUT_MS);
  const missing: string[] = [];
  const values: string[] = [];
  const read = (fromEnv: string): string | undefined => {
    const v = environment[fromEnv];
    if (v === undefined) missing.push(fromEnv);
    else values.push(v);
    return v;
  };
  const pick = (named: Record<string, { fromEnv: string }> | undefined) => {
    const out: Record<string, string> = {};
    for (const [k, { fromEnv }] of Object.entries(named ?? {})) {
      const v = read(fromEnv);
      if (v !== undefined) out[k] = v;
    }
    return out;
  };
  const headers = pick(hc.headers);
  const serverEnv = pick(hc.mcp?.env);
  const o = hc.mcp?.oauth;
  let oauth: ProbeSettings["oauth"];
  if (o) {
    const clientId = read(o.clientId.fromEnv);
    const clientSecret = read(o.clientSecret.fromEnv);
    if (clientId !== undefined && clientSecret !== undefined)
      oauth = { tokenUrl: o.tokenUrl, clientId, clientSecret, ...(o.scope ? { scope: o.scope } : {}) };
  }
  return { timeoutMs, headers, serverEnv, ...(oauth ? { oauth } : {}), missing, values };
}

/** The config-stage detail for unset variables, worded the same by every command. */
export function missingVariables(missing: readonly string[]): string {
  return `environment variable${missing.length === 1 ? "" : "s"} not set: ${missing.join(", ")}`;
}
