/**
 * The Markdown report becomes a PR comment posted by the bot. Free text from the manifests (a
 * waiver's owner, say "@acme/everyone") must not @-mention users or teams through it: anyone who
 * can open a pull request could make the bot ping a whole organization. Every table cell breaks
 * an @ before a name with a zero-width space entity, as Renovate does.
 */
import { appendFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { NOW, copyReferenceOrg, removeDir, runCli } from "../helpers/project.js";

let root: string | undefined;
afterAll(async () => root && removeDir(root));

describe("the Markdown report", () => {
  it("mentions nobody from manifest text", async () => {
    root = await copyReferenceOrg();
    await appendFile(
      path.join(root, "waivers.yaml"),
      [
        "  - rule: client-no-metrics",
        '    subject: "api/google-analytics"',
        '    owner: "@acme/everyone and @octocat"',
        "    reason: expired on purpose",
        "    expires: 2025-01-31",
        "",
      ].join("\n"),
    );
    const r = await runCli(["check", "--now", NOW, "--format", "markdown", "--fail-on", "never"], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("acme/everyone");
    expect(r.stdout).not.toMatch(/@acme|@octocat/);
    expect(r.stdout).toContain("@&#8203;acme/everyone and @&#8203;octocat");
  }, 120_000);
});
