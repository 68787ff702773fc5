/**
 * How many days before its due date a rotation counts as "due soon": the `secret-rotation-due-soon`
 * policy's `windowDays` option in tollgate.yaml, else 14. The policy, `forecast`, the HTML report's
 * timeline and the rotation-due alert's default all read it from here.
 */
import type { ProjectConfigT } from "./schema.js";

export const DEFAULT_ROTATION_WINDOW_DAYS = 14;

export function rotationWindowDays(config: Pick<ProjectConfigT, "policies">): number {
  const setting = config.policies?.["secret-rotation-due-soon"];
  return typeof setting === "object" && typeof setting.options?.windowDays === "number"
    ? setting.options.windowDays
    : DEFAULT_ROTATION_WINDOW_DAYS;
}
