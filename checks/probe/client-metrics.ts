/**
 * Live proof that a declared API client is measured: GET each declared metrics endpoint once
 * (`apis.<name>.client.metricsEndpoint.<env>`, with the probe's network rules: a reserved name is a
 * placeholder never contacted, capped body, one deadline) and look for @tollgate/client's series
 * labelled with the API. Any CLIENT_METRICS series counts: the client creates its counters at 0
 * when the app creates the fetch, so an app that is wired but has had no traffic is measured too.
 */
import type { Model } from "../../model/model.js";
import { CLIENT_METRICS } from "../../model/metrics.js";
import { HttpError, request, type AgentPool } from "./http-client.js";
import { reservedHost } from "./reserved-host.js";

export interface ClientMetricsEvidence {
  api: string;
  /** The endpoint as declared (redacted on output like every probe string). */
  endpoint: string;
  /** true: the client's series for this API are there; false: fetched, not there, or not fetched. */
  present: boolean;
  detail: string;
}

const MAX_BODY = 8 * 1024 * 1024;
const NAMES = new Set<string>(
  Object.values(CLIENT_METRICS).flatMap((n) => [n, `${n}_bucket`, `${n}_sum`, `${n}_count`]),
);
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\}\s/;
const API_LABEL = /(?:^|,)\s*api="((?:[^"\\]|\\.)*)"/;

/** The APIs that have @tollgate/client series in a Prometheus text exposition. */
export function clientApisIn(exposition: string): Set<string> {
  const apis = new Set<string>();
  for (const line of exposition.split("\n")) {
    const m = SAMPLE.exec(line);
    if (!m || !NAMES.has(m[1]!)) continue;
    const api = API_LABEL.exec(m[2]!);
    if (api) apis.add(api[1]!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c)));
  }
  return apis;
}

/** Every API of the environment with a declared endpoint (or those of `services`); each endpoint is fetched once. */
export async function probeClientMetrics(
  model: Model,
  env: string,
  o: { timeoutMs: number; services?: readonly string[]; agents?: AgentPool; signal?: AbortSignal },
): Promise<ClientMetricsEvidence[]> {
  const byEndpoint = new Map<string, string[]>();
  for (const [name, a] of model.apis) {
    if (o.services && !o.services.includes(a.service)) continue;
    const ep = a.client.metricsEndpoint?.[env];
    // A reserved documentation name is a placeholder, not an app: never contacted, and no evidence
    // either way (like a not-probeable service), so the declared boolean still decides.
    if (ep !== undefined && !reservedHost(ep)) byEndpoint.set(ep, [...(byEndpoint.get(ep) ?? []), name]);
  }
  const out: ClientMetricsEvidence[] = [];
  await Promise.all(
    [...byEndpoint].map(async ([endpoint, apis]) => {
      let found: Set<string> | undefined;
      let failure = "";
      try {
        const res = await request({
          url: endpoint,
          deadline: Date.now() + o.timeoutMs,
          maxRedirects: 2,
          maxBodyBytes: MAX_BODY,
          headers: { accept: "text/plain;version=0.0.4" },
          ...(o.agents ? { agents: o.agents } : {}),
          ...(o.signal ? { signal: o.signal } : {}),
        });
        if (res.status !== 200) failure = `metrics endpoint answered HTTP ${res.status}`;
        else found = clientApisIn(res.body);
      } catch (e) {
        if (!(e instanceof HttpError) && !(e instanceof TypeError)) throw e;
        failure = `metrics endpoint not read: ${e.message}`;
      }
      for (const api of apis) {
        const present = !!found?.has(api);
        out.push({
          api,
          endpoint,
          present,
          detail: found
            ? present
              ? `${CLIENT_METRICS.requests} and the other client series carry api="${api}"`
              : `no tollgate_client_* series with api="${api}" at the endpoint`
            : failure,
        });
      }
    }),
  );
  return out.sort((a, b) => (a.api < b.api ? -1 : a.api > b.api ? 1 : 0));
}
