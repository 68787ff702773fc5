/**
 * APIs whose client is metered in an environment: the manifest names where the app serves the
 * @tollgate/client series (`client.metricsEndpoint.<env>`). synth scrapes that endpoint (labelled
 * with the environment), shows the per-API client panels and judges their cost by metered spend.
 */
import type { Model } from "../../model/model.js";

export function meteredApis(model: Model, env: string): string[] {
  return [...model.apis].filter(([, a]) => a.client.metricsEndpoint?.[env] !== undefined).map(([n]) => n);
}

/** The distinct metrics endpoints declared for an environment, in manifest order (one scrape target each). */
export function clientMetricsEndpoints(model: Model, env: string): URL[] {
  const seen = new Map<string, URL>();
  for (const a of model.apis.values()) {
    const raw = a.client.metricsEndpoint?.[env];
    if (raw === undefined || seen.has(raw)) continue;
    try {
      seen.set(raw, new URL(raw));
    } catch {
      // Not a URL: the probe reports it; there is nothing to scrape.
    }
  }
  return [...seen.values()];
}
