/**
 * Settings of the exporter path (`tollgate serve` scraped by Prometheus, optionally sharded), with
 * their defaults in one place. An environment uses the exporter when it declares `probe.exporter`
 * or `probe.shards`, or when `synth --shards N` asks for it; otherwise it keeps the cron probe job.
 */
import { schedulePeriodMs } from "../../model/cron.js";
import { durationMs, formatDuration } from "../../model/duration.js";
import { MAX_SCRAPE_INTERVAL_MS, type EnvironmentT } from "../../model/schema.js";

export const DEFAULT_EXPORTER_ADDRESS = "127.0.0.1:9469";

export interface ExporterSettings {
  /** host:port Prometheus scrapes. */
  address: string;
  /** The port the exporter listens on (from the address). */
  port: number;
  scrapeInterval: string;
  /** Below the interval, so one slow probe never overlaps the next scrape of the same service. */
  scrapeTimeout: string;
  /** Number of Prometheus shards (1 = one Prometheus scrapes every service). */
  shards: number;
}

export { schedulePeriodMs };

/** 90% of the interval, rounded down to whole seconds from 10 s up. */
export function scrapeTimeoutMs(intervalMs: number): number {
  const t = Math.floor(intervalMs * 0.9);
  return t >= 10_000 ? Math.floor(t / 1000) * 1000 : Math.max(1, t);
}

export function exporterSettings(e: EnvironmentT, shardsOverride?: number): ExporterSettings | undefined {
  const p = e.probe;
  const shards = shardsOverride ?? p?.shards;
  if (!p?.exporter && shards === undefined) return undefined;
  const address = p?.exporter?.address ?? DEFAULT_EXPORTER_ADDRESS;
  const intervalMs = p?.exporter?.scrapeInterval
    ? durationMs(p.exporter.scrapeInterval)
    : Math.min(schedulePeriodMs(p?.schedule ?? "* * * * *"), MAX_SCRAPE_INTERVAL_MS);
  const port = Number(/:(\d+)$/.exec(address)?.[1] ?? 9469);
  return {
    address,
    port,
    scrapeInterval: formatDuration(intervalMs),
    scrapeTimeout: formatDuration(scrapeTimeoutMs(intervalMs)),
    shards: shards ?? 1,
  };
}
