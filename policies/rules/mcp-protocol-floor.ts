import { z } from "zod";
import { definePolicy } from "../types.js";
import { subjectOf } from "../../model/sections.js";

const REVISIONS = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"] as const;

export default definePolicy({
  id: "mcp-protocol-floor",
  title: "MCP server allowed on an outdated protocol revision",
  scorecard: { id: "monitoring", category: "health-checks" },
  category: "monitoring",
  severity: "warning",
  rationale:
    "The probe fails a server below healthCheck.mcp.minProtocol; a minimum older than the team's floor (or the legacy HTTP+SSE transport, which the spec replaced in 2025-03-26) lets a server stay on a revision without Streamable HTTP, structured tool output or the stateless 2026 lifecycle unnoticed.",
  remediation:
    "Raise healthCheck.mcp.minProtocol to the floor once the server is upgraded, and move it off transport: sse.",
  options: z.strictObject({ floor: z.enum(REVISIONS).default("2025-06-18") }),
  check({ model, options }, report) {
    for (const [name, s] of model.services) {
      const mcp = s.kind === "mcp" ? s.healthCheck?.mcp : undefined;
      if (!mcp) continue;
      if (mcp.transport === "sse")
        report({
          subject: subjectOf("services", name),
          message: "probed over the legacy HTTP+SSE transport (replaced by Streamable HTTP in 2025-03-26)",
          at: { section: "services", name, path: ["healthCheck", "mcp", "transport"] },
        });
      if (mcp.minProtocol && mcp.minProtocol < options.floor)
        report({
          subject: subjectOf("services", name),
          message: `minProtocol ${mcp.minProtocol} is older than the floor ${options.floor}`,
          at: { section: "services", name, path: ["healthCheck", "mcp", "minProtocol"] },
        });
    }
  },
});
