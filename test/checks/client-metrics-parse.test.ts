/** Which APIs a Prometheus exposition proves measured: real prom-client text, not hand-written strings. */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { clientApisIn } from "../../checks/probe/client-metrics.js";
import { CLIENT_METRICS } from "../../model/metrics.js";

describe("clientApisIn", () => {
  it("finds the api label on any client series (histogram buckets included) and nothing else", async () => {
    const reg = new Registry();
    new Histogram({ name: CLIENT_METRICS.duration, help: "h", labelNames: ["api"], registers: [reg] }).observe(
      { api: "only-histogram" },
      0.2,
    );
    new Gauge({ name: CLIENT_METRICS.circuitState, help: "h", labelNames: ["api"], registers: [reg] }).set(
      { api: 'we"ird\\name' },
      0,
    );
    // Another library's series with an api label proves nothing about the client.
    new Counter({ name: "http_requests_total", help: "h", labelNames: ["api"], registers: [reg] }).inc({
      api: "impostor",
    });
    // A client counter created but never labelled for an API has no sample.
    new Counter({ name: CLIENT_METRICS.requests, help: "h", labelNames: ["api", "status_class"], registers: [reg] });
    expect([...clientApisIn(await reg.metrics())].sort()).toEqual(["only-histogram", 'we"ird\\name']);
  });

  it("an empty or unrelated exposition proves nothing", () => {
    expect(clientApisIn("").size).toBe(0);
    expect(clientApisIn('# HELP x y\nup{job="a"} 1\n').size).toBe(0);
  });
});
