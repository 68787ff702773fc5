/**
 * Scorecard membership is declared on each policy (like custom policies, and trivy's rules): every
 * built-in names a category the table has, and every category of the table is judged by at least
 * one built-in, so no category can silently drop out of the score.
 */
import { describe, expect, it } from "vitest";
import { BUILTIN_POLICIES } from "../../policies/registry.js";
import { SCORECARDS, scorecardDefs } from "../../policies/scoring.js";

describe("scorecard membership", () => {
  it("every built-in policy declares a category the table has", () => {
    const known = new Set(SCORECARDS.flatMap((s) => s.categories.map((c) => `${s.id}/${c.id}`)));
    const bad = BUILTIN_POLICIES.filter(
      (p) => !p.scorecard || !known.has(`${p.scorecard.id}/${p.scorecard.category}`),
    ).map((p) => p.id);
    expect(bad).toEqual([]);
  });

  it("every category of the table is judged by a built-in, and nothing else joins it by default", () => {
    const defs = scorecardDefs(BUILTIN_POLICIES);
    expect(defs.flatMap((s) => s.categories.filter((c) => c.rules.length === 0).map((c) => `${s.id}/${c.id}`))).toEqual(
      [],
    );
    expect(defs.flatMap((s) => s.categories).length).toBe(SCORECARDS.flatMap((s) => s.categories).length);
    expect(defs.flatMap((s) => s.categories.flatMap((c) => c.rules)).sort()).toEqual(
      BUILTIN_POLICIES.map((p) => p.id).sort(),
    );
  });

  it("the reference org's secrets card keeps its seven categories in order", () => {
    const secrets = scorecardDefs(BUILTIN_POLICIES).find((s) => s.id === "secrets")!;
    expect(secrets.categories.map((c) => [c.id, c.rules.length])).toEqual([
      ["inventory", 3],
      ["rotation", 4],
      ["incident-response", 1],
      ["access-control", 1],
      ["testing", 1],
      ["production-mirroring", 2],
      ["production-deployed", 1],
    ]);
  });
});
