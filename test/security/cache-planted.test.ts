/**
 * A FIFO or a symlink planted in the cache folder (a committed or restored cache) where an entry
 * would be: `check --cache` neither blocks on the FIFO (it hung forever reading a parse-cache
 * entry) nor follows the link (a linked entry whose target holds a valid entry is still a miss).
 * Entries are opened with O_NOFOLLOW | O_NONBLOCK and checked as regular files on the descriptor
 * (util/cache-read.ts). Observed through TOLLGATE_CACHE_STATS=1; the answers are compared with a
 * --no-cache run.
 */
import { execFileSync } from "node:child_process";
import { mkdir, readdir, readFile, rename, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { NOW, copyReferenceOrg, removeDir, runCli } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

const ARGS = ["check", "--now", NOW, "--format", "json", "--fail-on", "never"];
const CACHE = "node_modules/.cache/tollgate";

async function run(root: string, args: string[]) {
  const r = await runCli(args, { cwd: root, env: { TOLLGATE_CACHE_STATS: "1" }, timeoutMs: 120_000 });
  const lines = r.stderr.split("\n");
  return {
    code: r.code,
    stdout: r.stdout,
    said: lines.filter((l) => l.startsWith("tollgate: cache: ")).map((l) => l.slice(17)),
  };
}

/** The parse-cache entries a cold run wrote (two-hex subfolders), and the results/ entries. */
async function entries(root: string): Promise<{ parse: string[]; results: string[] }> {
  const dir = path.join(root, CACHE);
  const parse: string[] = [];
  for (const sub of (await readdir(dir)).filter((n) => /^[0-9a-f]{2}$/.test(n)))
    for (const f of await readdir(path.join(dir, sub))) parse.push(path.join(dir, sub, f));
  const results = (await readdir(path.join(dir, "results"))).map((f) => path.join(dir, "results", f));
  return { parse, results };
}

async function cold(): Promise<{ root: string; plain: string; parse: string[]; results: string[] }> {
  const root = await copyReferenceOrg();
  dirs.push(root);
  const first = await run(root, [...ARGS, "--cache"]);
  expect(first.code).toBe(0);
  expect(first.said).toContain("result stored");
  const plain = (await run(root, [...ARGS, "--no-cache"])).stdout;
  return { root, plain, ...(await entries(root)) };
}

describe("planted files in the cache folder", () => {
  it("a FIFO in place of every parse-cache and result entry: check --cache completes with the --no-cache answer", {
    timeout: 300_000,
  }, async () => {
    const { root, plain, parse, results } = await cold();
    expect(parse.length).toBeGreaterThan(5);
    for (const f of [...parse, ...results]) {
      await rm(f);
      execFileSync("mkfifo", [f]);
    }
    const warm = await run(root, [...ARGS, "--cache"]);
    expect(warm.code).toBe(0);
    expect(warm.stdout).toBe(plain);
    // Every FIFO read as a miss: nothing was a hit, and the run evaluated afresh.
    expect(
      warm.said.some((l) => /^0 hits, \d+ misses/.test(l)),
      warm.said.join("\n"),
    ).toBe(true);
    expect(warm.said).not.toContain("result hit");
    expect(warm.said).not.toContain("outputs hit");
  });

  it("a symlinked entry is not followed, even to a valid entry", { timeout: 300_000 }, async () => {
    const { root, plain, parse, results } = await cold();
    // Each entry moved out of the cache folder and replaced by a link to it: byte for byte valid, but a link.
    const elsewhere = path.join(root, "elsewhere");
    await mkdir(elsewhere);
    for (const [i, f] of [...parse, ...results].entries()) {
      const target = path.join(elsewhere, String(i));
      await rename(f, target);
      await symlink(target, f);
    }
    const warm = await run(root, [...ARGS, "--cache"]);
    expect(warm.code).toBe(0);
    expect(warm.stdout).toBe(plain);
    expect(
      warm.said.some((l) => /^0 hits, \d+ misses/.test(l)),
      warm.said.join("\n"),
    ).toBe(true);
    expect(warm.said).not.toContain("result hit");
    expect(warm.said).not.toContain("outputs hit");
    // The targets are untouched: nothing was written through the links.
    for (const [i] of [...parse, ...results].entries())
      expect((await readFile(path.join(elsewhere, String(i)))).length).toBeGreaterThan(0);
    // And with the real entries back, the cache answers again (the test can fail the other way).
    for (const [i, f] of [...parse, ...results].entries()) {
      await rm(f);
      await rename(path.join(elsewhere, String(i)), f);
    }
    expect((await run(root, [...ARGS, "--cache"])).said.some((l) => l === "result hit" || l === "outputs hit")).toBe(
      true,
    );
    await writeFile(path.join(elsewhere, "done"), "");
  });
});
