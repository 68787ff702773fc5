/**
 * Probe schedules: one validator for what Debian cron and Kubernetes (robfig/cron v3) both accept
 * and read the same way, descriptions that say what the target does, and the deadlines derived
 * from the schedule. The semantics check runs croner (which computes periods) against a matcher
 * built from the validator's parsed fields with cron's day rule, on random schedules.
 */
import { Cron } from "croner";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NOW, removeDir, runCli, writeProject } from "../helpers/project.js";
import {
  describeSchedule,
  parseSchedule,
  probeDeadlineMs,
  probeJobDeadlineSeconds,
  schedulePeriodMs,
  validateSchedule,
} from "../../model/cron.js";

const REFUSED: [string, RegExp][] = [
  ["0 0 * * 7", /day of week `7`: 7 is not accepted by Kubernetes; Sunday is 0/],
  ["0 0 * * 0-7", /day of week `0-7`: 7 is not accepted/],
  ["0 0 ? * *", /`\?` is not cron syntax \(Debian's crontab refuses/],
  ["0 0 * * ?", /`\?` is not cron syntax/],
  ["0 0 L * *", /Quartz extensions: Kubernetes refuses them/],
  ["0 0 * * 1L", /day of week `1L`: .*Quartz/],
  ["0 0 * * 1#1", /day of week `1#1`: .*Quartz/],
  ["0 0 15W * *", /Quartz/],
  ["5/10 * * * *", /minute `5\/10`: a step after a single value .* refused by Debian cron; write `5-59\/10`/],
  ["0 0 31 2 *", /day of month `31` never occurs in month `2`: the schedule would never fire/],
  ["0 0 30,31 2 *", /never fire/],
  ["0 0 31 4,6,9,11 *", /never fire/],
  ["0 0 */2 * 1", /disagree whether both or either must match/],
  ["0 0 1 * */2", /disagree/],
  ["*/0 * * * *", /step after `\/` must be a number from 1/],
  ["5-1 * * * *", /runs backwards/],
  ["60 * * * *", /minute `60`: 60 is outside 0-59/],
  ["0 24 * * *", /hour `24`: 24 is outside 0-23/],
  ["0 0 0 * *", /day of month `0`: 0 is outside 1-31/],
  ["0 0 * 13 *", /month `13`: 13 is outside 1-12/],
  ["0 0 1,* * *", /`\*` inside a list/],
  ["* * * *", /five fields/],
  ["* * * * * *", /five fields/],
  ["@hourly", /five fields/],
  ["H * * * *", /`H` is not a number/],
  ["0 0 * * FOO", /`FOO` is not a number or a name such as MON/],
];

const ACCEPTED: [string, string][] = [
  ["* * * * *", "Every minute"],
  ["*/5 * * * *", "Every 5 minutes"],
  ["0-30/10 * * * *", "Every 10 minutes, minutes 0 through 30 past the hour"],
  ["0 6 * * *", "At 06:00"],
  ["30 6 * * 1-5", "At 06:30, Monday through Friday"],
  ["15 2 * JAN-MAR sun", "At 02:15, only on Sunday, January through March"],
  ["0 0 29 2 *", "At 00:00, on day 29 of the month, only in February"],
  ["0 0 * * 0", "At 00:00, only on Sunday"],
  // Both day fields restricted: cron runs on either day, and the description says so.
  ["0 0 1 * 1", "At 00:00, on day 1 of the month, or on any Monday"],
  ["0 0 1,15 * MON", "At 00:00, on day 1 and 15 of the month, or on any Monday"],
];

describe("validateSchedule: the grammar both targets accept", () => {
  it.each(REFUSED)("refuses %s", (schedule, why) => {
    expect(validateSchedule(schedule)).toMatch(why);
  });

  it.each(ACCEPTED)("accepts %s and describes it as the target runs it", (schedule, text) => {
    expect(validateSchedule(schedule)).toBeUndefined();
    expect(describeSchedule(schedule)).toBe(text);
  });
});

/** cron's rule (vixie and robfig agree on the accepted subset): either day field when both are restricted. */
function fires(schedule: string, d: Date): boolean {
  const p = parseSchedule(schedule);
  const [min, hour, dom, mon, dow] = p.values;
  const domOk = dom!.has(d.getUTCDate());
  const dowOk = dow!.has(d.getUTCDay());
  const day = p.domStar || p.dowStar ? domOk && dowOk : domOk || dowOk;
  return min!.has(d.getUTCMinutes()) && hour!.has(d.getUTCHours()) && mon!.has(d.getUTCMonth() + 1) && day;
}

const num = (lo: number, hi: number) => fc.integer({ min: lo, max: hi });
const part = (lo: number, hi: number) =>
  fc.oneof(
    num(lo, hi).map(String),
    fc.tuple(num(lo, hi), num(lo, hi), num(1, 7)).map(([a, b, s]) => `${Math.min(a, b)}-${Math.max(a, b)}/${s}`),
    fc.tuple(num(lo, hi), num(lo, hi)).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
  );
const field = (lo: number, hi: number, star = true) =>
  fc.oneof(
    ...(star ? [fc.constant("*"), num(1, 9).map((s) => `*/${s}`)] : []),
    fc.array(part(lo, hi), { minLength: 1, maxLength: 3 }).map((a) => a.join(",")),
  );
const schedule = fc
  .tuple(field(0, 59), field(0, 23), field(1, 28), fc.constant("*"), field(0, 6))
  .map((f) => f.join(" "));

describe("what croner computes is what cron runs", () => {
  it("every accepted random schedule: croner's next runs are exactly the minutes cron's rule selects", () => {
    fc.assert(
      fc.property(schedule, (s) => {
        fc.pre(validateSchedule(s) === undefined);
        const from = new Date("2026-03-01T00:00:00Z");
        const until = from.getTime() + 8 * 86_400_000;
        const expected: number[] = [];
        for (let t = from.getTime() + 60_000; t <= until && expected.length < 25; t += 60_000)
          if (fires(s, new Date(t))) expected.push(t);
        const got = new Cron(s, { paused: true, timezone: "Etc/UTC" })
          .nextRuns(25, from)
          .map((d) => d.getTime())
          .filter((t) => t <= until);
        expect(got).toEqual(expected.filter((t) => t <= (got.length === 25 ? got[24]! : until)));
      }),
      { numRuns: 150, seed: 28 },
    );
  });
});

describe("deadlines follow the schedule", () => {
  it.each([
    ["* * * * *", 60_000, 48_000, 54],
    ["*/5 * * * *", 300_000, 240_000, 270],
    ["0,10 * * * *", 600_000, 480_000, 540],
    ["0 6 * * *", 86_400_000, 69_120_000, 69_720],
  ])("%s: period %i ms, probe deadline %i ms, job deadline %i s", (s, period, deadline, job) => {
    expect(schedulePeriodMs(s)).toBe(period);
    expect(probeDeadlineMs(s)).toBe(deadline);
    expect(probeJobDeadlineSeconds(s)).toBe(job);
    // The platform never kills a run before its own deadline, and the run ends before the next one.
    expect(job * 1000).toBeGreaterThan(deadline);
    expect(job * 1000).toBeLessThan(period);
  });
});

describe("validate reports schedule problems at the field's line", () => {
  it("an undeployable schedule and a staleAfter shorter than the interval: exit 2, each at its line with a hint", async () => {
    const root = await writeProject({
      "manifests/envs.yaml": [
        "environments:",
        "  staging:",
        "    deployed: true",
        "    probe:",
        '      schedule: "0 9 * * 1#1"',
        "  local:",
        "    deployed: true",
        '    probe: { schedule: "*/5 * * * *", staleAfter: 1m }',
        "",
      ].join("\n"),
    });
    try {
      const r = await runCli(["validate", "--root", root, "--now", NOW]);
      expect(r.code).toBe(2);
      const out = r.stdout + r.stderr;
      expect(out).toMatch(/envs\.yaml:5:\d+ invalid-value probe\.schedule cannot be deployed: day of week `1#1`/);
      expect(out).toMatch(
        /envs\.yaml:8:\d+ invalid-value probe\.staleAfter \(1m\) is shorter than one interval between probe runs \(300 s\)/,
      );
      expect(out).toContain("Use five fields that both Debian cron and Kubernetes read the same way");
    } finally {
      await removeDir(root);
    }
  });
});
