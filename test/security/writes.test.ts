/**
 * Hostile corpus for outputs: every file Tollgate writes (--format FMT=FILE, --output, --state) goes
 * through writeFileAtomic, which renames only onto regular files. Devices are never touched here:
 * the decision is tested per file type, FIFOs and symlinks end to end in a temp folder.
 */
import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, lstatSync, readlinkSync } from "node:fs";
import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { devNull } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pathKind, writeFileAtomic, writeStrategy } from "../../util/atomic-write.js";
import { UsageError } from "../../util/usage-error.js";
import { NOW, REPO, removeDir, runCli, tempDir } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));
async function tmp(): Promise<string> {
  const d = await tempDir("tollgate-writes-");
  dirs.push(d);
  return d;
}

describe("what Tollgate writes: the strategy per path type", () => {
  it("renames only onto regular files or missing paths; writes devices, FIFOs and sockets in place; refuses folders", () => {
    expect(writeStrategy("missing")).toBe("rename");
    expect(writeStrategy("file")).toBe("rename");
    expect(writeStrategy("char-device")).toBe("in-place");
    expect(writeStrategy("fifo")).toBe("in-place");
    expect(writeStrategy("socket")).toBe("in-place");
    expect(writeStrategy("directory")).toBe("refuse");
    expect(writeStrategy("block-device")).toBe("refuse");
  });

  it("classifies real file types (lstat of /dev/null only reads it)", async () => {
    const dir = await tmp();
    expect(pathKind(undefined)).toBe("missing");
    expect(pathKind(lstatSync(dir))).toBe("directory");
    // Only inspected (lstat), never written: the null device is the one character device every host has.
    expect(pathKind(lstatSync(devNull))).toBe("char-device");
    const fifo = path.join(dir, "f");
    spawnSync("mkfifo", [fifo]);
    expect(pathKind(lstatSync(fifo))).toBe("fifo");
  });
});

describe("what Tollgate writes: end to end in a temp folder", () => {
  it("a FIFO is written in place and stays a FIFO (a rename would have replaced it)", async () => {
    const dir = await tmp();
    const fifo = path.join(dir, "report.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const read = new Promise<string>((resolve, reject) => {
      let data = "";
      createReadStream(fifo, "utf8")
        .on("data", (d) => (data += d))
        .on("end", () => resolve(data))
        .on("error", reject);
    });
    await writeFileAtomic(fifo, "hello through a pipe\n");
    expect(await read).toBe("hello through a pipe\n");
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it("a symlink is followed: its target is replaced atomically, the link stays a link", async () => {
    const dir = await tmp();
    await mkdir(path.join(dir, "real"));
    await writeFile(path.join(dir, "real/out.json"), "old\n");
    await symlink("real/out.json", path.join(dir, "link.json"));
    await writeFileAtomic(path.join(dir, "link.json"), "new\n");
    expect(lstatSync(path.join(dir, "link.json")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(dir, "link.json"))).toBe("real/out.json");
    expect(await readFile(path.join(dir, "real/out.json"), "utf8")).toBe("new\n");
  });

  it("a dangling symlink gets its target created, the link kept", async () => {
    const dir = await tmp();
    await symlink("made.json", path.join(dir, "link.json"));
    await writeFileAtomic(path.join(dir, "link.json"), "made\n");
    expect(lstatSync(path.join(dir, "link.json")).isSymbolicLink()).toBe(true);
    expect(await readFile(path.join(dir, "made.json"), "utf8")).toBe("made\n");
  });

  it("a folder or an unwritable path is a one-line UsageError, and nothing is left behind", async () => {
    const dir = await tmp();
    await expect(writeFileAtomic(dir, "x")).rejects.toThrow(UsageError);
    await expect(writeFileAtomic(dir, "x")).rejects.toThrow(/cannot write .*: it is a folder/);
    await writeFile(path.join(dir, "plain"), "x");
    await expect(writeFileAtomic(path.join(dir, "plain/under.json"), "x")).rejects.toThrow(UsageError);
    expect(spawnSync("ls", ["-A", dir], { encoding: "utf8" }).stdout.trim().split("\n")).toEqual(["plain"]);
  });

  it("CLI: --format json=FOLDER and --output FILE/below exit 2 with one line, never 'internal error'", async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, "plain"), "x");
    const check = await runCli(["check", "--root", REPO, "--now", NOW, "--format", `json=${dir}`]);
    expect(check.code).toBe(2);
    expect(check.stderr).toMatch(/^<command line>:1:1 output-unwritable cannot write .*: it is a folder\n  hint: /);
    expect(check.stderr).not.toContain("internal error");
    const forecast = await runCli([
      "forecast",
      "--root",
      REPO,
      "--now",
      NOW,
      "--output",
      path.join(dir, "plain/x.txt"),
    ]);
    expect(forecast.code).toBe(2);
    expect(forecast.stderr).not.toContain("internal error");
    expect(forecast.stderr).toMatch(
      /^<command line>:1:1 output-unwritable cannot write .*plain\/x\.txt: a part of the path is not a folder\n  hint: /,
    );
  }, 120_000);

  it("CLI: `-` is standard output, not a file named '-'", async () => {
    const dir = await tmp();
    const r = await runCli(["forecast", "--root", REPO, "--now", NOW, "--format", "json", "--output", "-"], {
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).now).toBe(NOW);
    expect(existsSync(path.join(dir, "-"))).toBe(false);
  }, 60_000);

  it("CLI: a FIFO given to --format is written through, not replaced by a regular file", async () => {
    const dir = await tmp();
    const fifo = path.join(dir, "out.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const read = new Promise<string>((resolve, reject) => {
      let data = "";
      createReadStream(fifo, "utf8")
        .on("data", (d) => (data += d))
        .on("end", () => resolve(data))
        .on("error", reject);
    });
    const r = await runCli(["check", "--root", REPO, "--now", NOW, "--format", "text", "--format", `json=${fifo}`]);
    expect([0, 1]).toContain(r.code);
    expect(JSON.parse(await read).score).toBeDefined();
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  }, 120_000);
});
