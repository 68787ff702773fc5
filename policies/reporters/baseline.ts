/** PR mode: classify findings against a base report by fingerprint. */
import type { Report } from "../engine.js";
import type { Finding } from "../types.js";

export interface Comparison {
  base: { percent: number; scorecards: Record<string, number> };
  delta: number;
  newFindings: Finding[];
  fixed: Finding[];
  unchanged: Finding[];
}

export function compare(current: Report, base: Pick<Report, "findings" | "score" | "scorecards">): Comparison {
  const baseLive = new Map(base.findings.filter((f) => !f.waived).map((f) => [f.fingerprint, f]));
  const curLive = current.findings.filter((f) => !f.waived);
  const curKeys = new Set(curLive.map((f) => f.fingerprint));
  const newFindings: Finding[] = [];
  const unchanged: Finding[] = [];
  for (const f of current.findings) {
    if (f.waived) continue;
    if (baseLive.has(f.fingerprint)) {
      f.baselineState = "unchanged";
      unchanged.push(f);
    } else {
      f.baselineState = "new";
      newFindings.push(f);
    }
  }
  const fixed = [...baseLive.values()].filter((f) => !curKeys.has(f.fingerprint)).map((f) => ({ ...f, baselineState: "absent" as const }));
  return {
    base: { percent: base.score.percent, scorecards: Object.fromEntries(base.scorecards.map((s) => [s.id, s.percent])) },
    delta: current.score.percent - base.score.percent,
    newFindings,
    fixed,
    unchanged,
  };
}
