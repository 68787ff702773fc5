/**
 * lastRotated against --now: a team east of UTC writes its local date, so exactly one day after
 * --now is accepted with a note; two or more days after is still the error date-in-future.
 */
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadProject } from "../../load/loader.js";
import { REPO, removeDir, runCli, tempDir } from "../helpers/project.js";

const cleanup: string[] = [];
afterAll(async () => Promise.all(cleanup.map(removeDir)));

async function load(now: string, lastRotated: string) {
  const dir = await tempDir();
  cleanup.push(dir);
  await cp(path.join(REPO, "test/fixtures/base"), dir, { recursive: true });
  const file = path.join(dir, "manifests/base.yaml");
  await writeFile(
    file,
    (await readFile(file, "utf8")).replace("lastRotated: 2026-01-01", `lastRotated: ${lastRotated}`),
  );
  const { ok, diagnostics } = await loadProject(dir, { now, displayBase: dir });
  return {
    ok,
    found: diagnostics
      .filter((d) => d.code.startsWith("date-"))
      .map((d) => `${d.code} ${d.severity} ${d.file}:${d.line}:${d.col}`),
  };
}

describe("lastRotated after --now", () => {
  it.each([
    // [now, lastRotated, ok, diagnostics]
    ["2026-11-24", "2026-11-23", true, []],
    ["2026-11-24", "2026-11-24", true, []],
    ["2026-11-24", "2026-11-25", true, ["date-ahead-of-now note manifests/base.yaml:16:61"]],
    ["2026-11-24", "2026-11-26", false, ["date-in-future error manifests/base.yaml:16:61"]],
    // Across a month, a year and a leap day: days are counted on the calendar, not compared as text.
    ["2026-11-30", "2026-12-01", true, ["date-ahead-of-now note manifests/base.yaml:16:61"]],
    ["2026-12-31", "2027-01-01", true, ["date-ahead-of-now note manifests/base.yaml:16:61"]],
    ["2026-12-31", "2027-01-02", false, ["date-in-future error manifests/base.yaml:16:61"]],
    ["2028-02-28", "2028-02-29", true, ["date-ahead-of-now note manifests/base.yaml:16:61"]],
    ["2028-02-28", "2028-03-01", false, ["date-in-future error manifests/base.yaml:16:61"]],
  ] as const)(
    "--now %s, lastRotated %s → ok %s",
    async (now, lastRotated, ok, expected) => {
      const r = await load(now, lastRotated);
      expect(r.found).toEqual(expected);
      expect(r.ok).toBe(ok);
    },
    60_000,
  );
});

describe("the note on the command line", () => {
  it("validate and check accept the date and say the note, from the cache too; --quiet hides it", async () => {
    const dir = await tempDir();
    cleanup.push(dir);
    await cp(path.join(REPO, "test/fixtures/base"), dir, { recursive: true });
    const file = path.join(dir, "manifests/base.yaml");
    await writeFile(file, (await readFile(file, "utf8")).replace("lastRotated: 2026-01-01", "lastRotated: 2026-11-25"));
    const note =
      "manifests/base.yaml:16:61 date-ahead-of-now lastRotated 2026-11-25 is one day after 2026-11-24; accepted as a local date east of UTC\n  hint: ";
    const validate = await runCli(["validate", "--now", "2026-11-24"], { cwd: dir });
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain(note);
    for (const run of ["fresh", "stored", "replayed"]) {
      const check = await runCli(
        ["check", "--now", "2026-11-24", "--fail-on", "never", "--format", "json=r.json", "--cache"],
        { cwd: dir },
      );
      expect([check.code, run]).toEqual([0, run]);
      expect(check.stderr.startsWith(note), `${run}: ${check.stderr}`).toBe(true);
    }
    const quiet = await runCli(["check", "--now", "2026-11-24", "--fail-on", "never", "--quiet"], { cwd: dir });
    expect(quiet.stderr).toBe("");
  }, 120_000);
});
