/**
 * Walking up for tollgate.yaml must not pick up a project another user planted above the working
 * directory (e.g. /tmp/tollgate.yaml or a shared parent folder): its `customPolicies` are code that
 * check would import and run as the current user, as git's CVE-2022-24765. A tollgate.yaml found
 * in a folder above is used only when it and its folder belong to the current user (or root);
 * otherwise the walk is a usage error naming it. The chown needs root; elsewhere the case is skipped.
 */
import { chown, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findProjectRoot } from "../../cli/find-root.js";
import { NOW, removeDir, runCli, tempDir } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));
const isRoot = process.getuid?.() === 0;
const OTHER = 54_321;

describe("walking up for tollgate.yaml", () => {
  it.skipIf(!isRoot)("refuses a tollgate.yaml above that another user owns, and says to pass --root", async () => {
    const shared = await tempDir();
    dirs.push(shared);
    await writeFile(path.join(shared, "tollgate.yaml"), "customPolicies: [evil.mjs]\n");
    await writeFile(
      path.join(shared, "evil.mjs"),
      `import { writeFileSync } from "node:fs"; writeFileSync(${JSON.stringify(path.join(shared, "pwned"))}, "x"); export default [];\n`,
    );
    const mine = path.join(shared, "mine");
    await mkdir(mine);
    for (const p of [shared, path.join(shared, "tollgate.yaml"), path.join(shared, "evil.mjs")])
      await chown(p, OTHER, OTHER);
    await expect(findProjectRoot(mine)).rejects.toThrow(/owned by another user/);
    const r = await runCli(["check", "--now", NOW], { cwd: mine });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path.join(shared, "tollgate.yaml")} is owned by another user`);
    expect(r.stderr).toContain("--root");
    await expect(import("node:fs/promises").then((f) => f.stat(path.join(shared, "pwned")))).rejects.toThrow();
    // The owner's own file is still found, as is one the current user owns.
    await chown(path.join(shared, "tollgate.yaml"), 0, 0);
    await chown(shared, 0, 0);
    expect(await findProjectRoot(mine)).toBe(shared);
  });
});
