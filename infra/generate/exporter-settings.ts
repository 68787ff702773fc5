/**
 * Settings of the exporter path (`tollgate serve` scraped by Prometheus, optionally sharded), with
 * their defaults in one place. An environment uses the exporter when it declares `probe.exporter`
 * or `probe.shards`, or when `synth --shards N` asks for it; otherwise it keeps the cron probe job.
 */
import { Cron } from "croner";
import { durationMs, formatDuration } from "../../model/duration.js";
import { MAX_SCRAPE_INTERVAL_MS, type EnvironmentT } from "../../model/schema.js";

export const DEFAULT_EXPORTER_ADDRESS = "127.0.0.1:9469";
const FALLBACK_PERIOD_MS = 60_000;

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

/** The shortest gap between runs of a cron schedule (UTC, from a fixed instant: deterministic). */
export function schedulePeriodMs(schedule: string): number {
  try {
    const runs = new Cron(schedule, { paused: true, timezone: "Etc/UTC" }).nextRuns(60, new Date("2026-01-05T00:00:00Z"));
    let best = Infinity;
    for (let i = 1; i < runs.length; i++) best = Math.min(best, runs[i]!.getTime() - runs[i - 1]!.getTime());
    return Number.isFinite(best) && best > 0 ? best : FALLBACK_PERIOD_MS;
  } catch {
    return FALLBACK_PERIOD_MS; // an invalid schedule is reported by validation, not here
  }
}

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
  const intervalMs = p?.exporter?.scrapeInterval ? durationMs(p.exporter.scrapeInterval) : Math.min(schedulePeriodMs(p?.schedule ?? "* * * * *"), MAX_SCRAPE_INTERVAL_MS);
  const port = Number(/:(\d+)$/.exec(address)?.[1] ?? 9469);
  return { address, port, scrapeInterval: formatDuration(intervalMs), scrapeTimeout: formatDuration(scrapeTimeoutMs(intervalMs)), shards: shards ?? 1 };
}
