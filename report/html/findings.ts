/** Findings grouped by scorecard, then by rule (rationale and remediation once per rule), and PR mode's new/fixed lists. */
import type { Report, RuleMeta } from "../../policies/engine.js";
import type { Finding } from "../../policies/types.js";
import type { Comparison } from "../baseline.js";
import { anchorId, html, token, type Html } from "./escape.js";

type Row = Pick<Finding, "ruleId" | "severity" | "subject" | "message" | "location"> &
  Partial<Pick<Finding, "waived" | "waiver" | "baselineState">>;

const SEV_ORDER = { error: 0, warning: 1, note: 2 } as const;

function findingRow(f: Row): Html {
  const state = f.waived
    ? html`<span class="badge waived">waived until ${f.waiver?.expires ?? "?"} (${f.waiver?.owner ?? ""})</span>`
    : f.baselineState === "new"
      ? html`<span class="badge new">new</span>`
      : "";
  return html`<tr class="finding sev-row-${token(f.severity)}${f.waived ? " is-waived" : ""}" data-testid="finding"><td><span class="badge sev-${token(f.severity)}">${f.severity}</span></td><td><code>${f.subject}</code></td><td>${f.message} ${state}</td><td class="loc"><code>${f.location.file}:${f.location.line}:${f.location.col}</code></td></tr>`;
}

function table(rows: Html[], caption: string): Html {
  return html`<div class="scroll"><table class="findings"><caption class="sr-only">${caption}</caption><thead><tr><th scope="col">severity</th><th scope="col">subject</th><th scope="col">message</th><th scope="col">location</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function ruleBlock(rule: RuleMeta | undefined, ruleId: string, fs: Finding[]): Html {
  const live = fs.filter((f) => !f.waived).length;
  return html`<details class="rule" data-rule="${ruleId}"${live ? html` open` : ""}>
<summary><code>${ruleId}</code> ${rule?.title ?? ""} <span class="muted">— ${fs.length} finding${fs.length === 1 ? "" : "s"}${fs.length !== live ? `, ${fs.length - live} waived` : ""}</span></summary>
${rule ? html`<dl class="why"><dt>Why</dt><dd>${rule.rationale}</dd><dt>Fix</dt><dd>${rule.remediation}</dd></dl>` : ""}
${table(fs.map(findingRow), `Findings of ${ruleId}`)}
</details>`;
}

/** Scorecard → rules → findings; rules outside every scorecard (waiver hygiene, custom) go last. */
export function findingsSection(report: Report): Html {
  const rules = new Map(report.rules.map((r) => [r.id, r]));
  const cardOf = new Map<string, string>();
  for (const s of report.scorecards)
    for (const c of s.categories) for (const f of c.findings) cardOf.set(f.ruleId, s.id);
  const groups = [
    ...report.scorecards.map((s) => ({ id: s.id, title: s.title })),
    { id: "other", title: "Other findings (waivers file, unscored policies)" },
  ];
  const blocks = groups.map((g) => {
    const fs = report.findings.filter((f) => (cardOf.get(f.ruleId) ?? "other") === g.id);
    if (fs.length === 0 && g.id === "other") return html``;
    const byRule = new Map<string, Finding[]>();
    for (const f of fs) {
      const list = byRule.get(f.ruleId);
      if (list) list.push(f);
      else byRule.set(f.ruleId, [f]);
    }
    const ordered = [...byRule].sort(
      ([a, fa], [b, fb]) => (SEV_ORDER[fa[0]!.severity] ?? 3) - (SEV_ORDER[fb[0]!.severity] ?? 3) || a.localeCompare(b),
    );
    const live = fs.filter((f) => !f.waived).length;
    return html`<section class="finding-group" data-testid="finding-group" aria-labelledby="${anchorId("findings", g.id)}">
<h3 id="${anchorId("findings", g.id)}">${g.title} <span class="muted">(${live} open${fs.length !== live ? `, ${fs.length - live} waived` : ""})</span></h3>
${fs.length ? ordered.map(([id, list]) => ruleBlock(rules.get(id), id, list)) : html`<p class="empty">No findings.</p>`}
</section>`;
  });
  return html`<section aria-labelledby="findings-title"><h2 id="findings-title">Findings by scorecard</h2>
<p><label for="filter">Filter findings</label> <input id="filter" type="search" placeholder="subject, rule or text" autocomplete="off"> <span id="filter-count" role="status" aria-live="polite"></span></p>
${blocks}</section>`;
}

/** PR mode: what this change introduces and what it fixes, before everything else. */
export function changesSection(c: Comparison): Html {
  const fixedRows = c.fixed.map((f) => findingRow({ ...f, waived: false, baselineState: "absent" }));
  return html`<section class="changes" aria-labelledby="changes-title" data-testid="changes"><h2 id="changes-title">This change: ${c.newFindings.length} new, ${c.fixed.length} fixed</h2>
<p>Compared with the base (${c.base.percent === null ? "n/a" : `${c.base.percent}% → ${c.base.percent + c.delta}%`}); ${c.unchanged.length} finding${c.unchanged.length === 1 ? "" : "s"} unchanged.</p>
<h3>New findings (${c.newFindings.length})</h3>${c.newFindings.length ? table(c.newFindings.map(findingRow), "New findings") : html`<p class="empty">None.</p>`}
<h3>Fixed findings (${c.fixed.length})</h3>${c.fixed.length ? table(fixedRows, "Fixed findings") : html`<p class="empty">None.</p>`}
</section>`;
}
