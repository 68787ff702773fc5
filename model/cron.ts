/** Cron schedules: validated with croner, described with cronstrue (for comments and messages). */
import { Cron } from "croner";
import cronstrue from "cronstrue";

export function validateSchedule(schedule: string): string | undefined {
  if (schedule.trim().split(/\s+/).length !== 5) return "cron schedules here have five fields (minute hour day month weekday)";
  try {
    new Cron(schedule, { paused: true });
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export function describeSchedule(schedule: string): string {
  return cronstrue.toString(schedule, { use24HourTimeFormat: true, verbose: false });
}
