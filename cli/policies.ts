import pc from "picocolors";
import { BUILTIN_POLICIES } from "../policies/registry.js";
import { emit, parseChoice } from "./common.js";

export async function policiesCommand(o: { format: string }): Promise<number> {
  const format = parseChoice("--format", o.format, ["text", "json"] as const);
  if (format === "json") {
    await emit({}, `${JSON.stringify(BUILTIN_POLICIES.map(({ id, title, category, severity, rationale, remediation }) => ({ id, title, category, severity, rationale, remediation })), null, 2)}\n`);
    return 0;
  }
  let cat = "";
  const lines: string[] = [];
  for (const p of [...BUILTIN_POLICIES].sort((a, b) => a.category.localeCompare(b.category))) {
    if (p.category !== cat) lines.push(pc.bold((cat = p.category)));
    lines.push(`  ${p.id.padEnd(38)} ${p.severity.padEnd(8)} ${p.title}`);
  }
  await emit({}, `${lines.join("\n")}\n`);
  return 0;
}
