/** Cron schedules: validated with croner, described with cronstrue (for comments and messages). */
import { Cron } from "croner";
import { createRequire } from "node:module";

export function validateSchedule(schedule: string): string | undefined {
  if (schedule.trim().split(/\s+/).length !== 5) return "cron schedules here have five fields (minute hour day month weekday)";
  try {
    new Cron(schedule, { paused: true });
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * cronstrue is loaded on first use: only synthesis describes schedules, and its 60 kB of code cost
 * every `check` and `validate` a noticeable share of their start-up when imported here.
 */
export function describeSchedule(schedule: string): string {
  const cronstrue = createRequire(import.meta.url)("cronstrue") as typeof import("cronstrue").default;
  return cronstrue.toString(schedule, { use24HourTimeFormat: true, verbose: false });
}
