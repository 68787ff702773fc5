/** PR mode: classify findings against a base report by fingerprint. */
import type { Report } from "../policies/engine.js";
import type { Finding } from "../policies/types.js";

export interface Comparison {
  base: { percent: number | null; scorecards: Record<string, number | null> };
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
  const baseAll = new Map(base.findings.map((f) => [f.fingerprint, f]));
  for (const f of current.findings) {
    if (f.waived) {
      // Waived findings never gate, but PR tooling still needs their state: live in the base and
      // waived now is an update; waived on both sides is unchanged.
      const was = baseAll.get(f.fingerprint);
      f.baselineState = !was ? "new" : was.waived ? "unchanged" : "updated";
      continue;
    }
    if (baseLive.has(f.fingerprint)) {
      f.baselineState = "unchanged";
      unchanged.push(f);
    } else {
      f.baselineState = "new";
      newFindings.push(f);
    }
  }
  const fixed = [...baseLive.values()]
    .filter((f) => !curKeys.has(f.fingerprint))
    .map((f) => ({ ...f, baselineState: "absent" as const }));
  return {
    base: {
      percent: base.score.percent,
      scorecards: Object.fromEntries(base.scorecards.map((s) => [s.id, s.percent])),
    },
    // An n/a score on either side has no drop to measure.
    delta:
      current.score.percent === null || base.score.percent === null ? 0 : current.score.percent - base.score.percent,
    newFindings,
    fixed,
    unchanged,
  };
}
