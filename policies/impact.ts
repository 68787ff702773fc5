/**
 * What each finding costs the score, from the scoring model (policies/scoring.ts): a failing
 * category is worth 100 · weight(scorecard) ÷ Σ weights ÷ applicable categories of its scorecard,
 * and only passes once every deciding (unwaived error) finding in it is fixed, so each of those
 * findings carries an equal share. Warnings, notes and waived findings cost nothing. "Fix first"
 * ranks the failing categories by the points they give back, then by the nearest deadline.
 */
import type { Report } from "./engine.js";
import type { Finding } from "./types.js";

export type FindingSort = "file" | "impact" | "deadline";
export const FINDING_SORTS = ["file", "impact", "deadline"] as const satisfies readonly FindingSort[];

export interface FixItem {
  scorecard: string;
  scorecardTitle: string;
  category: string;
  title: string;
  /** Points the overall score gains when the category passes (unrounded). */
  points: number;
  /** The deciding findings, in report order. */
  findings: Finding[];
  /** The earliest date among them (a rotation's due date), when any has one. */
  deadline?: string;
}

const keyOf = (f: { ruleId: string; subject: string; message: string }) =>
  `${f.ruleId}\u0000${f.subject}\u0000${f.message}`;

/** Every failing category with what it is worth, best first (points, then deadline, then scorecard order). */
export function fixItems(report: Pick<Report, "scorecards" | "findings">): FixItem[] {
  const scored = report.scorecards.filter((s) => s.total > 0 && s.weight > 0);
  const sumW = scored.reduce((a, s) => a + s.weight, 0);
  if (sumW === 0) return [];
  const byKey = new Map<string, Finding[]>();
  for (const f of report.findings)
    if (!f.waived && f.severity === "error") byKey.set(keyOf(f), [...(byKey.get(keyOf(f)) ?? []), f]);
  const items: FixItem[] = [];
  for (const s of scored) {
    for (const c of s.categories) {
      if (c.status !== "fail") continue;
      const keys = new Set(c.findings.filter((f) => !f.waived && f.severity === "error").map(keyOf));
      const findings = report.findings.filter((f) => keys.has(keyOf(f)) && byKey.has(keyOf(f)));
      const dates = findings
        .map((f) => f.date)
        .filter((d): d is string => !!d)
        .sort();
      items.push({
        scorecard: s.id,
        scorecardTitle: s.title,
        category: c.id,
        title: c.title,
        points: (100 * s.weight) / sumW / s.total,
        findings,
        ...(dates[0] ? { deadline: dates[0] } : {}),
      });
    }
  }
  // Stable: equal points and deadlines keep the scorecards' own order.
  return items.sort((a, b) => b.points - a.points || compareDates(a.deadline, b.deadline));
}

/** Each finding's share of the points its categories give back (0 when it decides nothing). */
export function findingImpacts(report: Pick<Report, "scorecards" | "findings">): Map<Finding, number> {
  const impact = new Map<Finding, number>(report.findings.map((f) => [f, 0]));
  for (const item of fixItems(report)) {
    for (const f of item.findings) impact.set(f, impact.get(f)! + item.points / item.findings.length);
  }
  return impact;
}

/** Dates first, earliest first; no date last. */
function compareDates(a: string | undefined, b: string | undefined): number {
  return a === b ? 0 : a === undefined ? 1 : b === undefined ? -1 : a < b ? -1 : 1;
}

/**
 * Findings in the requested order (a new array; `file` keeps the report's order). `impact`: most
 * points first, then the nearest deadline; `deadline`: the nearest date first, then points. Ties
 * keep the report's order, so the output stays deterministic.
 */
export function sortedFindings(report: Pick<Report, "scorecards" | "findings">, sort: FindingSort): Finding[] {
  if (sort === "file") return [...report.findings];
  const impact = findingImpacts(report);
  const byImpact = (a: Finding, b: Finding) => round(impact.get(b)!) - round(impact.get(a)!);
  const byDate = (a: Finding, b: Finding) => compareDates(a.date, b.date);
  return [...report.findings].sort(
    sort === "impact" ? (a, b) => byImpact(a, b) || byDate(a, b) : (a, b) => byDate(a, b) || byImpact(a, b),
  );
}

/** How many failing categories a "Fix first" list shows. */
export const FIX_FIRST = 5;

/** A category's findings in a few words: `3 × client-no-retry: api/chatwoot, api/openai, …`. */
export function describeFindings(
  findings: readonly Finding[],
  max = 3,
): { rules: string[]; subjects: string[]; more: number } {
  const rules = [...new Set(findings.map((f) => f.ruleId))];
  const subjects = [...new Set(findings.map((f) => f.subject))];
  return { rules, subjects: subjects.slice(0, max), more: Math.max(0, subjects.length - max) };
}

/** Points compared and shown to 0.1: float noise never reorders equal shares. */
const round = (points: number) => Math.round(points * 10) / 10;

/** `+1.7` as shown beside a finding or a category. */
export const formatPoints = (points: number): string => `+${round(points).toFixed(1)}`;
