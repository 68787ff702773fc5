import { definePolicy } from "../types.js";
import { noOptions } from "../helpers.js";

export default definePolicy({
  id: "client-no-metrics",
  title: "Client emits no metrics",
  scorecard: { id: "rate-limits", category: "observability" },
  category: "rate-limits",
  severity: "error",
  rationale: "429 rates, latency and error counts are how rate-limit trouble is noticed before users do.",
  remediation: "Call the API through @tollgate/client (createApiFetch with a prom-client registry, docs/client.md) or instrument the client (requests, latency, errors, 429s), and set client.metrics: true.",
  options: noOptions,
  check({ model }, report) {
    for (const [name, a] of model.apis)
      if (!a.client.metrics) report({ subject: `api/${name}`, message: "no request/latency/error metrics", at: { section: "apis", name, path: ["client", "metrics"] } });
  },
});
