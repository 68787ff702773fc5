import { definePolicy } from "../types.js";
import { noOptions } from "../helpers.js";
import { subjectOf } from "../../model/sections.js";

/**
 * Decided by evidence when there is some: with `check --probe-results`, an API whose metrics
 * endpoint the probe read passes only if @tollgate/client's series for it were there (whatever
 * `client.metrics` claims). Without evidence for an API, the declared boolean decides.
 */
export default definePolicy({
  id: "client-no-metrics",
  title: "Client emits no metrics",
  scorecard: { id: "rate-limits", category: "observability" },
  category: "rate-limits",
  severity: "error",
  rationale: "429 rates, latency and error counts are how rate-limit trouble is noticed before users do.",
  remediation:
    "Call the API through @tollgate/client (createApiFetch with a prom-client registry, docs/client.md) or instrument the client (requests, latency, errors, 429s), set client.metrics: true, and declare client.metricsEndpoint so `tollgate probe` proves it.",
  options: noOptions,
  check({ model, evidence }, report) {
    for (const [name, a] of model.apis) {
      const seen = evidence?.clientMetrics.get(name);
      if (seen) {
        if (!seen.present)
          report({
            subject: subjectOf("apis", name),
            message: `no client metrics at the declared endpoint in ${evidence!.env} (probe of ${evidence!.now}): ${seen.detail}`,
            at: { section: "apis", name, path: ["client", "metricsEndpoint", evidence!.env] },
          });
      } else if (!a.client.metrics) {
        report({
          subject: subjectOf("apis", name),
          message: "no request/latency/error metrics",
          at: { section: "apis", name, path: ["client", "metrics"] },
        });
      }
    }
  },
});
