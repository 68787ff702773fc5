/**
 * One output mechanism: probe, forecast and validate render through a format table, as check does
 * through its reporter table. What `--format` accepts is exactly the table's names, and every entry
 * renders (a name in the table without a working entry fails here).
 */
import { describe, expect, it } from "vitest";
import { PROBE_FORMATS } from "../../checks/probe/formats.js";
import { FORECAST_FORMATS } from "../../report/forecast.js";
import { VALIDATE_FORMATS } from "../../report/validate.js";

import { NOW, runCli } from "../helpers/project.js";

/** The format names of any command's table. */
const names = (table: readonly { format: string }[]): string[] => table.map((e) => e.format);

describe("format tables", () => {
  it.each([
    ["forecast", FORECAST_FORMATS, ["forecast", "--now", NOW]],
    ["validate", VALIDATE_FORMATS, ["validate", "--now", NOW]],
    ["probe", PROBE_FORMATS, ["probe", "--now", NOW, "--env", "staging"]],
  ] as const)("%s --format accepts exactly its table's names", async (_, table, args) => {
    const r = await runCli([...args, "--format", "nope"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--format must be one of ${names(table).join(", ")} (got "nope")`);
  });

  it.each([
    ["forecast", FORECAST_FORMATS, ["forecast", "--now", NOW]],
    ["validate", VALIDATE_FORMATS, ["validate", "--now", NOW]],
  ] as const)("every %s format renders the reference organization", async (_, table, args) => {
    for (const format of names(table)) {
      const r = await runCli([...args, "--format", format]);
      expect(r.code, `${format}: ${r.stderr}`).toBe(0);
      expect(r.stdout.length, format).toBeGreaterThan(20);
    }
  });
});
