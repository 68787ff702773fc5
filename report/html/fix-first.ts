/** The HTML report's "Fix first": the failing categories that give the score back the most points. */
import type { Report } from "../../policies/engine.js";
import { FIX_FIRST, describeFindings, fixItems, formatPoints } from "../../policies/impact.js";
import { anchorId, html, type Html } from "./escape.js";

export function fixFirstSection(report: Report): Html | "" {
  const first = fixItems(report).slice(0, FIX_FIRST);
  if (!first.length) return "";
  const rows = first.map((item) => {
    const { rules, subjects, more } = describeFindings(item.findings);
    return html`<tr data-testid="fix-first-item"><td class="num">${formatPoints(item.points)}</td><td><a href="#${anchorId("findings", item.scorecard)}">${item.scorecardTitle}: ${item.title}</a></td><td>${item.findings.length} × ${rules.map((r, i) => html`${i ? ", " : ""}<code>${r}</code>`)}: ${subjects.join(", ")}${more ? ` and ${more} more` : ""}</td><td>${item.deadline ?? ""}</td></tr>`;
  });
  return html`<section aria-labelledby="fix-first-title" data-testid="fix-first"><h2 id="fix-first-title">Fix first</h2>
<p>What each failing category gives back to the score once all its error findings are fixed.</p>
<table><thead><tr><th scope="col">points</th><th scope="col">category</th><th scope="col">findings</th><th scope="col">deadline</th></tr></thead>
<tbody>${rows}</tbody></table></section>`;
}
