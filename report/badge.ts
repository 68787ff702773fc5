/** `check --format badge`: a shields-style SVG readiness badge for READMEs. Deterministic: same score, same bytes. */
import type { Report } from "../policies/engine.js";
import { formatPercent } from "./format.js";

/** Approximate advance widths of Verdana 11px, enough to size the two halves without a font. */
const WIDE = /[mwMW%]/,
  NARROW = /[iljtfI.:, ]/;
const textWidth = (s: string) =>
  [...s].reduce((w, c) => w + (WIDE.test(c) ? 10 : NARROW.test(c) ? 4 : /[0-9]/.test(c) ? 7 : 6.5), 0);

export function badgeColor(percent: number | null, gate?: { passed: boolean }): string {
  // A failing gate is red whatever the percentage: a green badge must never sit on a red build.
  if (gate && !gate.passed) return "#c62828";
  if (percent === null) return "#767676"; // not applicable: grey, neither pass nor fail
  return percent >= 90 ? "#2e7d32" : percent >= 75 ? "#5b8c00" : percent >= 60 ? "#b35900" : "#c62828";
}

export function renderBadge(report: Pick<Report, "score">, label = "readiness", gate?: { passed: boolean }): string {
  const value = formatPercent(report.score.percent);
  const lw = Math.round(textWidth(label) + 12),
    vw = Math.round(textWidth(value) + 12),
    w = lw + vw;
  const color = badgeColor(report.score.percent, gate);
  const text = (x: number, s: string) =>
    `<text x="${x * 10}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="${textWidth(s) * 10}">${s}</text><text x="${x * 10}" y="140" transform="scale(.1)" fill="#fff" textLength="${textWidth(s) * 10}">${s}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${label}: ${value}">
<title>${label}: ${value}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${vw}" height="20" fill="${color}"/><rect width="${w}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110">${text(lw / 2, label)}${text(lw + vw / 2, value)}</g>
</svg>
`;
}
