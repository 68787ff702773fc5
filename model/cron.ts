/**
 * Cron schedules, in one place: what both targets accept, what they mean, how often they fire.
 *
 * A schedule goes into a Debian crontab (vixie cron) and into a Kubernetes CronJob (robfig/cron v3
 * `ParseStandard`), so only their common grammar is accepted, and only where both read it the same:
 * - five fields; per field a list of `*`, `*\/S`, `N`, `A-B` or `A-B/S` (names such as MON or JAN
 *   for month and weekday, case-insensitive, where a number goes);
 * - day of week 0-6 (robfig refuses 7; Sunday is 0), no `?` (Debian refuses the crontab), no `L`,
 *   `W` or `#` (robfig refuses them; Debian reads `#` as the rest of a comment), no `N/S` (Debian
 *   refuses a step after a single value), no step 0, no reversed range;
 * - a `*` in day of month or day of week only as the whole field (or `*\/S`) when the other day
 *   field is `*`: cron decides "either day field matches" vs "both" by the field's first character,
 *   robfig by a `*` without a step, so `*\/2 * * 1`-like mixes fire on different days;
 * - and it must fire at all (`0 0 31 2 *` never does).
 * croner computes periods (its legacy OR of the day fields is cron's rule on this subset) and
 * cronstrue describes schedules for comments; on this subset both agree with the targets.
 */
import { Cron } from "croner";
import { createRequire } from "node:module";
import { durationMs } from "./duration.js";
import { MAX_SCRAPE_INTERVAL_MS, type EnvironmentT } from "./schema.js";

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** The value a name stands for at index 0. */
  nameBase?: number;
}

/** The five fields, as both targets bound them (robfig: dow 0-6). */
export const FIELDS: readonly FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { name: "day of week", min: 0, max: 6, names: DAYS, nameBase: 0 },
];

export interface ParsedSchedule {
  /** Allowed values per field, in field order. */
  values: Set<number>[];
  /** Day of month / day of week written as exactly `*` (then only the other one restricts days). */
  domStar: boolean;
  dowStar: boolean;
}

class ScheduleError extends Error {}

const HINT_EXAMPLES = 'e.g. "* * * * *" (every minute), "*/5 * * * *" (every five), "0 6 * * 1-5" (06:00 on weekdays)';
export const SCHEDULE_HINT = `Use five fields that both Debian cron and Kubernetes read the same way, ${HINT_EXAMPLES}.`;

function value(text: string, f: FieldSpec, whole: string): number {
  const byName = f.names?.indexOf(text.toLowerCase()) ?? -1;
  if (byName >= 0) return byName + f.nameBase!;
  if (!/^\d{1,2}$/.test(text)) {
    if (text === "?")
      throw new ScheduleError(
        `${f.name} \`${whole}\`: \`?\` is not cron syntax (Debian's crontab refuses the whole file); use \`*\``,
      );
    if (/[LW#]/i.test(text))
      throw new ScheduleError(
        `${f.name} \`${whole}\`: \`L\`, \`W\` and \`#\` are Quartz extensions: Kubernetes refuses them and Debian cron does not read them as last/nearest/n-th day`,
      );
    throw new ScheduleError(
      `${f.name} \`${whole}\`: \`${text}\` is not a number${f.names ? ` or a name such as ${f.names[1]!.toUpperCase()}` : ""}`,
    );
  }
  const n = Number(text);
  if (f.name === "day of week" && n === 7)
    throw new ScheduleError(`day of week \`${whole}\`: 7 is not accepted by Kubernetes; Sunday is 0`);
  if (n < f.min || n > f.max) throw new ScheduleError(`${f.name} \`${whole}\`: ${n} is outside ${f.min}-${f.max}`);
  return n;
}

function parseField(text: string, f: FieldSpec): Set<number> {
  const out = new Set<number>();
  const parts = text.split(",");
  for (const part of parts) {
    const [range, stepText, extra] = part.split("/");
    if (extra !== undefined) throw new ScheduleError(`${f.name} \`${text}\`: more than one \`/\``);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d{1,2}$/.test(stepText) || Number(stepText) === 0)
        throw new ScheduleError(`${f.name} \`${text}\`: the step after \`/\` must be a number from 1`);
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === "*") {
      if (parts.length > 1)
        throw new ScheduleError(`${f.name} \`${text}\`: \`*\` inside a list; write the list or \`*\` alone`);
      [lo, hi] = [f.min, f.max];
    } else {
      const ends = range!.split("-");
      if (ends.length > 2 || ends.some((e) => e === ""))
        throw new ScheduleError(`${f.name} \`${text}\`: \`${range}\` is not a value or a range A-B`);
      lo = value(ends[0]!, f, text);
      hi = ends.length === 2 ? value(ends[1]!, f, text) : lo;
      if (ends.length === 1 && stepText !== undefined)
        throw new ScheduleError(
          `${f.name} \`${text}\`: a step after a single value (\`${part}\`) is refused by Debian cron; write \`${range}-${f.max}/${stepText}\``,
        );
      if (lo > hi) throw new ScheduleError(`${f.name} \`${text}\`: the range ${range} runs backwards`);
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Parses a schedule in the common grammar; throws ScheduleError with the offending field. */
function parse(schedule: string): ParsedSchedule {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5)
    throw new ScheduleError("cron schedules here have five fields (minute hour day-of-month month day-of-week)");
  const values = fields.map((t, i) => parseField(t, FIELDS[i]!));
  const [dom, dow] = [fields[2]!, fields[4]!];
  const domStar = dom === "*";
  const dowStar = dow === "*";
  if (!domStar && !dowStar && (dom.startsWith("*") || dow.startsWith("*"))) {
    throw new ScheduleError(
      `day of month \`${dom}\` with day of week \`${dow}\`: Debian cron and Kubernetes disagree whether both or either must match; write the days as a list or range (e.g. 1-31/2) instead of \`*/S\``,
    );
  }
  if (dowStar || domStar) {
    // Both day fields apply (cron's AND when one of them is `*`): some month must have such a day.
    const fires = [...values[3]!].some((m) => [...values[2]!].some((d) => d <= DAYS_IN_MONTH[m - 1]!));
    if (!fires)
      throw new ScheduleError(
        `day of month \`${dom}\` never occurs in month \`${fields[3]}\`: the schedule would never fire`,
      );
  }
  return { values, domStar, dowStar };
}

/** undefined when both targets accept the schedule and read it the same way, else why not. */
export function validateSchedule(schedule: string): string | undefined {
  try {
    parse(schedule);
  } catch (e) {
    if (e instanceof ScheduleError) return e.message;
    throw e;
  }
  try {
    // croner computes the period and the deadlines; what it cannot read (a step longer than its
    // range, such as 0-6/9) is refused too rather than guessed.
    new Cron(schedule, { paused: true, timezone: "Etc/UTC" });
    return undefined;
  } catch (e) {
    return `not read the same way by every tool here (${(e as Error).message.replace(/^CronPattern: /, "")})`;
  }
}

/** The parsed schedule (values per field); throws on a schedule validateSchedule refuses. */
export function parseSchedule(schedule: string): ParsedSchedule {
  return parse(schedule);
}

const FALLBACK_PERIOD_MS = 60_000;

// Sixty runs through croner cost milliseconds, and every environment asks for its schedule's period
// several times per run: a pure function of the text, so remembered (bounded: schedules are few).
const periods = new Map<string, number>();
const MAX_REMEMBERED = 1024;

/** The shortest gap between runs (UTC, from a fixed instant: deterministic); a minute when invalid. */
export function schedulePeriodMs(schedule: string): number {
  const known = periods.get(schedule);
  if (known !== undefined) return known;
  let period = FALLBACK_PERIOD_MS; // an invalid schedule is reported by validation, not here
  if (!validateSchedule(schedule)) {
    const runs = new Cron(schedule, { paused: true, timezone: "Etc/UTC" }).nextRuns(
      60,
      new Date("2026-01-05T00:00:00Z"),
    );
    let best = Infinity;
    for (let i = 1; i < runs.length; i++) best = Math.min(best, runs[i]!.getTime() - runs[i - 1]!.getTime());
    if (Number.isFinite(best) && best > 0) period = best;
  }
  if (periods.size >= MAX_REMEMBERED) periods.clear();
  periods.set(schedule, period);
  return period;
}

/**
 * How often the environment's probes run: the scrape interval on the exporter path (given, or the
 * schedule's period up to 2m), else the schedule's period.
 */
export function probeIntervalMs(e: EnvironmentT): number {
  const period = schedulePeriodMs(e.probe?.schedule ?? "* * * * *");
  if (!e.probe?.exporter && e.probe?.shards === undefined) return period;
  return e.probe.exporter?.scrapeInterval
    ? durationMs(e.probe.exporter.scrapeInterval)
    : Math.min(period, MAX_SCRAPE_INTERVAL_MS);
}

/** At most a day, so it always fits a timer. */
export const MAX_PROBE_DEADLINE_MS = 86_400_000;

/** The probe run's default deadline: 80% of the schedule's shortest gap (every minute: 48 s). */
export function probeDeadlineMs(schedule = "* * * * *"): number {
  return Math.min(MAX_PROBE_DEADLINE_MS, Math.max(1, Math.floor(schedulePeriodMs(schedule) * 0.8)));
}

/**
 * How long the platform lets one probe run live (Kubernetes activeDeadlineSeconds): the probe's
 * deadline plus half of the rest of the period for start-up and writing its results, so a slow run
 * is cut by its own deadline (and reports what it has) before the pod is killed, and ends before
 * the next run starts.
 */
export function probeJobDeadlineSeconds(schedule = "* * * * *", deadlineMs = probeDeadlineMs(schedule)): number {
  const period = schedulePeriodMs(schedule);
  return Math.floor((deadlineMs + Math.min(Math.max(0, period - deadlineMs) / 2, JOB_SLACK_MAX_MS)) / 1000);
}

/** Start-up and writing never need more than this beyond the probe's own deadline. */
const JOB_SLACK_MAX_MS = 600_000;

/**
 * cronstrue is loaded on first use: only synthesis describes schedules, and its 60 kB of code cost
 * every `check` and `validate` a noticeable share of their start-up when imported here.
 */
export function describeSchedule(schedule: string): string {
  const cronstrue = createRequire(import.meta.url)("cronstrue") as typeof import("cronstrue").default;
  const text = cronstrue.toString(schedule, { use24HourTimeFormat: true, verbose: false });
  const f = schedule.trim().split(/\s+/);
  if (f.length !== 5 || f[2] === "*" || f[4] === "*") return text;
  // Both day fields restricted: cron runs on either (day 1 OR Monday); cronstrue writes "and on".
  const either = text.replace(/, and on ([^,]+)$/, ", or on any $1");
  return either !== text ? either : `${text} (on either of those days)`;
}
