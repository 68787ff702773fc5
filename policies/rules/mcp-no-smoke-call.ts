import { definePolicy } from "../types.js";
import { noOptions } from "../helpers.js";
import { subjectOf } from "../../model/sections.js";

export default definePolicy({
  id: "mcp-no-smoke-call",
  title: "MCP server probed without a smoke call",
  scorecard: { id: "monitoring", category: "health-checks" },
  category: "monitoring",
  severity: "error",
  rationale:
    "Without a smoke call the probe stops at tools/list, so an MCP server whose health endpoint answers and whose tools all fail passes as healthy.",
  remediation: "Add healthCheck.mcp.smoke: a read-only tool and harmless arguments the probe calls every run.",
  options: noOptions,
  check({ model }, report) {
    for (const [name, s] of model.services) {
      // No healthCheck at all is service-no-health-check's finding.
      if (s.kind !== "mcp" || !s.healthCheck) continue;
      if (!s.healthCheck.mcp)
        report({
          subject: subjectOf("services", name),
          message: "MCP server probed without healthCheck.mcp: its tools are never listed or called",
          at: { section: "services", name, path: ["healthCheck"] },
        });
      else if (!s.healthCheck.mcp.smoke)
        report({
          subject: subjectOf("services", name),
          message: "no smoke call: a server whose tools all fail passes its probe",
          at: { section: "services", name, path: ["healthCheck", "mcp"] },
        });
    }
  },
});
