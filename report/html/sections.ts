/** The report's sections: score, scorecards with category statuses, PR changes, waivers, dependency graph. */
import type { Report } from "../../policies/engine.js";
import type { CategoryResult } from "../../policies/scoring.js";
import type { Comparison } from "../baseline.js";
import { anchorId, html, raw, token, type Html } from "./escape.js";
import type { ServiceGraph } from "./graph.js";
import { severityOf } from "./graph.js";

export interface WaiverView {
  rule: string;
  subject: string;
  owner: string;
  reason: string;
  ticket?: string;
  expires: string;
  /** Live findings this waiver suppresses. */
  suppresses: number;
}

/** Whatever status string the category carries (pass / fail / n/a …), else derived from `passed`. */
export const categoryStatus = (c: CategoryResult): string =>
  (c as CategoryResult & { status?: string }).status ?? (c.passed ? "pass" : "fail");

export const scoreClass = (percent: number | null) =>
  percent === null ? "na" : percent >= 90 ? "good" : percent >= 70 ? "fair" : "poor";
import { formatPercent as pct } from "../format.js";
import { plural } from "../../util/plural.js";

export function scoreSection(report: Report, organization: string | undefined, comparison?: Comparison): Html {
  const p = report.score.percent;
  const r = 52,
    c = 2 * Math.PI * r;
  const delta = comparison
    ? comparison.delta > 0
      ? `+${comparison.delta}`
      : comparison.delta < 0
        ? String(comparison.delta)
        : "±0"
    : "";
  const { errors, warnings, notes, waived } = report.summary;
  return html`<section aria-labelledby="score-title" class="score-section">
<div class="gauge ${scoreClass(p)}">
<svg viewBox="0 0 120 120" width="120" height="120" aria-hidden="true"><circle cx="60" cy="60" r="${r}" class="track"/><circle cx="60" cy="60" r="${r}" class="fill" stroke-dasharray="${((c * (p ?? 0)) / 100).toFixed(1)} ${c.toFixed(1)}" transform="rotate(-90 60 60)"/></svg>
<span class="pct" data-testid="overall-score">${pct(p)}</span>
</div>
<div>
<h2 id="score-title">Readiness ${pct(p)}${comparison ? html` <span class="delta">(${delta} vs base ${pct(comparison.base.percent)})</span>` : ""}</h2>
<p>${organization ? html`<strong>${organization}</strong> · ` : ""}evaluated ${report.now}${report.env ? html` for environment <code>${report.env}</code>` : " across all environments"} by tollgate ${report.tool.version}.</p>
<p class="counts"><span class="sev-error">${errors} error${errors === 1 ? "" : "s"}</span> · <span class="sev-warning">${warnings} warning${warnings === 1 ? "" : "s"}</span> · <span class="sev-note">${notes} note${notes === 1 ? "" : "s"}</span> · <span>${waived} waived</span></p>
</div>
</section>`;
}

export function scorecardsSection(report: Report, comparison?: Comparison): Html {
  const cards = report.scorecards.map((s) => {
    const base = comparison?.base.scorecards[s.id];
    return html`<article class="scorecard" data-testid="scorecard" data-scorecard="${s.id}" aria-labelledby="${anchorId("card", s.id)}">
<h3 id="${anchorId("card", s.id)}">${s.title}</h3>
<p class="card-score ${scoreClass(s.percent)}"><strong>${pct(s.percent)}</strong> · ${s.passed} of ${s.total} categories${base !== undefined && base !== s.percent ? html` <span class="delta">(was ${pct(base)})</span>` : ""}${s.weight !== 1 ? html` · weight ${s.weight}` : ""}</p>
<div class="bar" aria-hidden="true"><span class="${scoreClass(s.percent)}" style="width:${s.percent ?? 0}%"></span></div>
<ul class="categories">${s.categories.map((c) => {
      const status = categoryStatus(c);
      const live = c.findings.filter((f) => !f.waived);
      return html`<li class="category status-${token(status)}" data-testid="category" data-status="${status}"><span class="status">${status}</span> <a href="#${anchorId("findings", s.id)}">${c.title}</a>${live.length ? html` <span class="muted">(${live.length} finding${live.length === 1 ? "" : "s"})</span>` : ""}</li>`;
    })}</ul>
</article>`;
  });
  return html`<section aria-labelledby="scorecards-title"><h2 id="scorecards-title">Scorecards</h2><div class="cards">${cards}</div></section>`;
}

export function waiversSection(now: string, waivers: readonly WaiverView[]): Html {
  const rows = waivers.map((w) => {
    const expired = w.expires < now;
    return html`<tr data-testid="waiver" class="${expired ? "expired" : ""}"><td><code>${w.rule}</code></td><td><code>${w.subject}</code></td><td>${w.owner}</td><td>${w.expires}${expired ? html` <span class="badge sev-error">expired</span>` : ""}</td><td>${w.ticket ?? ""}</td><td>${w.suppresses}</td><td>${w.reason}</td></tr>`;
  });
  return html`<section aria-labelledby="waivers-title"><h2 id="waivers-title">Waivers (${waivers.length})</h2>
${waivers.length ? html`<div class="scroll"><table><caption class="sr-only">Accepted, time-boxed exceptions</caption><thead><tr><th scope="col">rule</th><th scope="col">subject</th><th scope="col">owner</th><th scope="col">expires</th><th scope="col">ticket</th><th scope="col">suppresses</th><th scope="col">reason</th></tr></thead><tbody>${rows}</tbody></table></div>` : html`<p class="empty">No waivers.</p>`}</section>`;
}

export function graphSection(graph: ServiceGraph, probe?: { env: string; now: string }): Html {
  const legend = html`<ul class="legend"><li><span class="swatch fill-error"></span>has errors</li><li><span class="swatch fill-warning"></span>warnings only</li><li><span class="swatch fill-clean"></span>no findings</li>${probe ? html`<li><span class="swatch pen-healthy"></span>healthy</li><li><span class="swatch pen-unhealthy"></span>unhealthy</li><li><span class="swatch pen-skipped"></span>skipped (dashed)</li><li><span class="swatch pen-not-probed"></span>not probed (dotted)</li>` : ""}</ul>`;
  const caption = probe
    ? html`Live health from the probe of <code>${probe.env}</code> on ${probe.now}.`
    : html`Pass <code>--probe-results FILE</code> (from <code>tollgate probe --format json</code>) to outline nodes by live health.`;
  const list = graph.nodes.map((n) => {
    const deps = graph.edges.filter(([from]) => from === n.service).map(([, to]) => to);
    return html`<tr class="sev-row-${severityOf(n)}"><td><code>${n.service}</code></td><td>${n.kind}</td><td>${n.tier}</td><td>${n.errors}</td><td>${n.warnings}</td>${probe ? html`<td>${n.health ?? ""}</td>` : ""}<td>${deps.length ? deps.join(", ") : "—"}</td></tr>`;
  });
  return html`<section aria-labelledby="graph-title"><h2 id="graph-title">Service dependency graph (${plural(graph.nodes.length, "service")}, ${plural(graph.edges.length, "dependency", "dependencies")})</h2>
<p>Arrows point from a service to what it depends on. ${caption}</p>${legend}
${graph.svg ? html`<figure class="graph" data-testid="graph" tabindex="0" aria-label="Dependency graph (scrollable)">${raw(graph.svg)}</figure>` : html`<p class="empty" data-testid="graph-omitted">${graph.omitted ?? ""}</p>`}
<details${graph.svg ? "" : " open"}><summary>Services as a table</summary><div class="scroll"><table><caption class="sr-only">Services, their findings and dependencies</caption><thead><tr><th scope="col">service</th><th scope="col">kind</th><th scope="col">tier</th><th scope="col">errors</th><th scope="col">warnings</th>${probe ? html`<th scope="col">health</th>` : ""}<th scope="col">depends on</th></tr></thead><tbody>${list}</tbody></table></div></details>
</section>`;
}
