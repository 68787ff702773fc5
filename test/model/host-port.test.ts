import { describe, expect, it } from "vitest";
import { Environment, MonitoringOverrides } from "../../model/schema.js";

// Addresses are written verbatim into Prometheus configs and Kubernetes ports: anything a
// scraper or the port parser would not read must fail validation, not synth or promtool.
describe("host:port fields", () => {
  it.each(["127.0.0.1:9469", "localhost:9093", "[::1]:9469", "alertmanager.monitoring.svc:9093", "host:65535"])(
    "accepts %s",
    (address) => {
      expect(MonitoringOverrides.safeParse({ alertmanager: address }).success).toBe(true);
    },
  );

  it.each(["evil:99999", "host:0", "host:65536", "host", "x\n:1", "http://x:1", "a b:80", "host:80\nscrape_configs:"])(
    "refuses %j with the host:port message",
    (address) => {
      const r = MonitoringOverrides.safeParse({ alertmanager: address });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.message).toContain("must be host:port");
    },
  );
});

// Prometheus looks back 5m for the latest sample: a longer exporter scrape interval would leave the
// probe series stale between scrapes, so every alert on them would flap.
describe("probe.exporter.scrapeInterval", () => {
  const env = (scrapeInterval: string) =>
    Environment.safeParse({ deployed: true, probe: { exporter: { scrapeInterval } } });

  it.each(["15s", "1m", "2m", "1m59s", "120000ms"])("accepts %s", (v) => {
    expect(env(v).success).toBe(true);
  });

  it.each(["2m1s", "3m", "5m", "1h"])("refuses %s with the staleness reason", (v) => {
    const r = env(v);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toContain("must be at most 2m");
  });
});
