/** The provider limits the manifests declare for one API, in the simulator's terms. */
import { durationMs } from "../../model/duration.js";
import type { ProviderSpec } from "./provider-limits.js";

interface DeclaredProvider {
  model: ProviderSpec["model"];
  requests?: { limit: number; per: string } | undefined;
  tokens?: { limit: number; per: string } | undefined;
  concurrency?: number | undefined;
  costPoints?: { bucket: number; restorePerSecond: number } | undefined;
}

export function providerSpec(p: DeclaredProvider): ProviderSpec {
  const win = (w?: { limit: number; per: string }) => (w ? { limit: w.limit, perMs: durationMs(w.per) } : null);
  return {
    model: p.model,
    requests: win(p.requests),
    tokens: win(p.tokens),
    concurrency: p.concurrency ?? null,
    costPoints: p.costPoints ?? null,
  };
}
