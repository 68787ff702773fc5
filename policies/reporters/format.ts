/** Small display helpers every reporter shares, defined once. */

/** A score as shown: "n/a" when nothing was applicable (never 0% or 100%). */
export const formatPercent = (percent: number | null): string => (percent === null ? "n/a" : `${percent}%`);

/**
 * Control characters other than line endings (ESC above all: CI logs render ANSI codes) shown as
 * `\uXXXX`. Line endings are left to each format's own encoding (table cells, workflow commands).
 */
export const escapeControls = (s: string): string =>
  s.replace(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
