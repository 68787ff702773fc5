/**
 * The broken/hostile corpus: every fixture under test/fixtures/invalid declares on its first line
 * the diagnostic code and position it must produce (`# expect: CODE LINE:COL`). Each is loaded
 * beside a small valid organization, so the one problem it plants is the one reported. Every
 * fixture is checked in-process (loader), and one per diagnostic code through the real CLI; each
 * test has its own timeout, so a slow machine makes the suite slower, never red.
 */
import { readdirSync, readFileSync } from "node:fs";
import { cp, mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadProject } from "../../load/loader.js";
import { syntheticPem, syntheticTokens } from "../helpers/tokens.js";
import { NOW, REPO, removeDir, runCli, tempDir } from "../helpers/project.js";

const FIXTURES = path.join(REPO, "test/fixtures/invalid");
const BASE = path.join(REPO, "test/fixtures/base");
const cleanup: string[] = [];
afterAll(async () => Promise.all(cleanup.map(removeDir)));

async function projectWith(files: Record<string, string | Buffer>, config?: string): Promise<string> {
  const dir = await tempDir();
  cleanup.push(dir);
  await cp(BASE, dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  if (config) await writeFile(path.join(dir, "tollgate.yaml"), config);
  return dir;
}

const corpus = readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((file) => {
    const text = readFileSync(path.join(FIXTURES, file), "utf8");
    const m = /^# expect: ([a-z-]+) (\d+):(\d+)$/m.exec(text.split("\n")[0]!);
    if (!m) throw new Error(`fixture ${file} lacks its '# expect: CODE LINE:COL' header`);
    return { file, text, code: m[1]!, line: Number(m[2]), col: Number(m[3]) };
  });

describe("broken and hostile manifests", () => {
  it("has a corpus of at least 30 committed fixtures", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(30);
  });

  it.each(corpus)("$file → $code at $line:$col", async ({ file, text, code, line, col }) => {
    const dir = await projectWith({ [`manifests/${file}`]: text });
    const { diagnostics, ok } = await loadProject(dir, { now: NOW, displayBase: dir });
    expect(ok).toBe(false);
    const mine = diagnostics.filter((d) => d.code === code && d.file === `manifests/${file}`);
    expect(
      mine.map((d) => `${d.line}:${d.col}`),
      JSON.stringify(diagnostics, null, 1),
    ).toContain(`${line}:${col}`);
    const hit = mine.find((d) => d.line === line && d.col === col)!;
    expect(hit!.hint.length).toBeGreaterThan(0);
    // The valid base file never picks up a stray diagnostic (unless the fixture conflicts with it on purpose).
    if (!text.includes("# touches-base")) expect(diagnostics.filter((d) => d.file.includes("base.yaml"))).toEqual([]);
  });

  it("reports every problem of a file in one run, not only the first", async () => {
    const multi = corpus.filter((c) =>
      ["unknown-key-did-you-mean.yaml", "invalid-date-february-30.yaml", "unresolved-depends-on.yaml"].includes(c.file),
    );
    const files = Object.fromEntries(
      multi.map((c, i) => [
        `manifests/${c.file}`,
        c.text.replace(/OTHER_TOKEN/g, `T_${i}`).replace(/^  x:/m, `  x${i}:`),
      ]),
    );
    const dir = await projectWith(files);
    const { diagnostics } = await loadProject(dir, { now: NOW, displayBase: dir });
    expect(new Set(diagnostics.map((d) => d.code))).toEqual(
      new Set(["unknown-key", "invalid-date", "unresolved-reference"]),
    );
  });

  it("suggests the closest key for a typo", async () => {
    const c = corpus.find((x) => x.file === "unknown-key-did-you-mean.yaml")!;
    const dir = await projectWith({ "manifests/typo.yaml": c.text });
    const { diagnostics } = await loadProject(dir, { now: NOW });
    expect(diagnostics.find((d) => d.code === "unknown-key")!.hint).toBe("did you mean `rotationDays`?");
  });

  it("rejects non-UTF-8 bytes", async () => {
    const dir = await projectWith({ "manifests/latin1.yaml": Buffer.from([0x73, 0x3a, 0x20, 0xe9, 0xff, 0x0a]) });
    const { diagnostics } = await loadProject(dir, { now: NOW, displayBase: dir });
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: "file-encoding", file: "manifests/latin1.yaml", line: 1 }),
    ]);
  });

  it("rejects an empty file", async () => {
    const dir = await projectWith({ "manifests/empty.yaml": "" });
    const { diagnostics } = await loadProject(dir, { now: NOW, displayBase: dir });
    expect(diagnostics.map((d) => d.code)).toEqual(["file-empty"]);
  });

  it("refuses files over the size limit without reading them", async () => {
    const big = `services:\n${"  # padding padding padding padding padding padding\n".repeat(100)}`;
    const dir = await projectWith({ "manifests/big.yaml": big }, "limits: { maxFileBytes: 1024 }\n");
    const { diagnostics } = await loadProject(dir, { now: NOW, displayBase: dir });
    expect(diagnostics).toEqual([expect.objectContaining({ code: "file-too-large", file: "manifests/big.yaml" })]);
  });

  it("refuses a symlink that points outside the root", async () => {
    const outside = await tempDir();
    cleanup.push(outside);
    await writeFile(path.join(outside, "stolen.yaml"), "services: {}\n");
    const dir = await projectWith({});
    await symlink(path.join(outside, "stolen.yaml"), path.join(dir, "manifests/stolen.yaml"));
    const { diagnostics } = await loadProject(dir, { now: NOW, displayBase: dir });
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: "file-outside-root", file: "manifests/stolen.yaml" }),
    ]);
  });

  it("a __proto__ key that gets past the key check (written as an alias) still pollutes nothing and is refused", async () => {
    // A plain `__proto__:` key is stopped by the AST walk (forbidden-key, above) before any object
    // is built. As an alias key it is not a scalar there, so it reaches toJS and the schema: this
    // is the path where a naive `obj[key] = value` would set a prototype.
    const dir = await projectWith({
      "manifests/p.yaml":
        "x-keys:\n  - &k __proto__\nservices:\n  api2:\n    kind: infra\n    owner: a\n    tier: low\n    ? *k\n    : { polluted: yes }\n",
    });
    const { diagnostics, ok, project } = await loadProject(dir, { now: NOW, displayBase: dir });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted")).toBe(false);
    expect(ok).toBe(false);
    expect(diagnostics.filter((d) => d.file === "manifests/p.yaml").map((d) => [d.code, d.message])).toEqual([
      ["unknown-key", "unknown section `x-keys`"],
      ["unknown-key", "unknown key `__proto__`"],
    ]);
    expect(project.model.services.has("api2")).toBe(false);
  });
});

describe("secret values pasted into manifests", () => {
  const tokens = { ...syntheticTokens(), pem: syntheticPem() };
  const cases = Object.entries(tokens).map(([kind, value]) => ({ kind, value }));

  it.each(cases)("$kind: flagged at its location, never echoed", async ({ kind, value }) => {
    const body =
      kind === "pem"
        ? `secrets:\n  OTHER_TOKEN:\n    service: api\n    requiredInProduction: false\n    purpose: |\n${value
            .split("\n")
            .map((l) => `      ${l}`)
            .join("\n")}\n`
        : `secrets:\n  OTHER_TOKEN:\n    service: api\n    requiredInProduction: false\n    purpose: "${value}"\n`;
    const dir = await projectWith({ "manifests/leak.yaml": body });
    const { diagnostics } = await loadProject(dir, { now: NOW, displayBase: dir });
    const hit = diagnostics.find((d) => d.code === "secret-value");
    expect(hit).toMatchObject({ file: "manifests/leak.yaml", line: kind === "pem" ? 6 : 5 });
    const secretPart = kind === "pem" ? value.split("\n")[1]! : value;
    for (const format of ["text", "json"]) {
      const r = await runCli(["validate", "--root", dir, "--now", NOW, "--format", format]);
      expect(r.code).toBe(2);
      expect(r.stdout + r.stderr).toContain("secret-value");
      expect(r.stdout + r.stderr).not.toContain(secretPart);
    }
  });

  it("flags a high-entropy value in a value-like field and never prints it, even as an unknown key", async () => {
    const value = "Zx8" + "qP2vL9wR4tY7uI1oK5mN3bV6cX0zA8sD";
    const dir = await projectWith({
      "manifests/leak.yaml": `secrets:\n  OTHER_TOKEN:\n    service: api\n    requiredInProduction: false\n    value: ${value}\n`,
    });
    const { diagnostics } = await loadProject(dir, { now: NOW, displayBase: dir });
    expect(diagnostics.map((d) => d.code).sort()).toEqual(["secret-value", "unknown-key"]);
    expect(JSON.stringify(diagnostics)).not.toContain(value);
  });
});

describe("CLI behaviour on bad input", () => {
  // The loader's answer for every fixture is checked in-process above; through the real CLI, one
  // fixture per diagnostic code (exit code, `file:line:col code` line, no stack trace), each its
  // own test with its own timeout, a few at a time. A cold CLI process per fixture would make the
  // suite slow on a loaded machine without covering another code path.
  const onePerCode = [...new Map(corpus.map((c) => [c.code, c] as const)).values()];
  it("spot-checks every diagnostic code of the corpus through the CLI", () => {
    expect(new Set(onePerCode.map((c) => c.code))).toEqual(new Set(corpus.map((c) => c.code)));
    expect(onePerCode.length).toBeGreaterThanOrEqual(15);
  });

  it.concurrent.each(onePerCode)(
    "$file: exit 2, prints manifests/$file:$line:$col $code, no stack trace",
    async ({ file, text, code, line, col }) => {
      const dir = await projectWith({ [`manifests/${file}`]: text });
      const r = await runCli(["validate", "--root", dir, "--now", NOW], { cwd: dir });
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stdout.split("\n")).toContainEqual(
        expect.stringMatching(new RegExp(`^manifests/${file.replace(/\./g, "\\.")}:${line}:${col} ${code} `)),
      );
      expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+\)?/);
    },
    150_000,
  );

  it("exits 2 with file:line:col code message and no stack trace", async () => {
    const c = corpus.find((x) => x.file === "unknown-key-did-you-mean.yaml")!;
    const dir = await projectWith({ "manifests/typo.yaml": c.text });
    const r = await runCli(["validate", "--root", dir, "--now", NOW], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^manifests\/typo\.yaml:6:5 unknown-key unknown key `rotationDay`$/m);
    expect(r.stdout).toMatch(/^ {2}hint: did you mean `rotationDays`\?$/m);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  });

  it("prints the JSON contract", async () => {
    const c = corpus.find((x) => x.file === "invalid-date-february-30.yaml")!;
    const dir = await projectWith({ "manifests/d.yaml": c.text });
    const r = await runCli(["validate", "--root", dir, "--now", NOW, "--format", "json"], { cwd: dir });
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    expect(Object.keys(out.diagnostics[0])).toEqual(["code", "severity", "message", "hint", "file", "line", "col"]);
    expect(out.diagnostics[0]).toMatchObject({ code: "invalid-date", file: "manifests/d.yaml", line: 6 });
  });

  it("treats a bad --now and an unknown option as usage errors (exit 2)", async () => {
    expect((await runCli(["validate", "--now", "2025-02-30"])).code).toBe(2);
    expect((await runCli(["validate", "--bogus"])).code).toBe(2);
    expect((await runCli(["validate", "--format", "xml"])).code).toBe(2);
  });
});

describe("valid fixtures", () => {
  const VALID = path.join(REPO, "test/fixtures/valid");
  it.each(
    readdirSync(VALID)
      .filter((f) => f.endsWith(".yaml"))
      .map((file) => ({ file })),
  )("$file loads without errors", async ({ file }) => {
    const dir = await tempDir();
    cleanup.push(dir);
    await mkdir(path.join(dir, "manifests"), { recursive: true });
    await cp(path.join(VALID, file), path.join(dir, "manifests", file));
    const { ok, diagnostics } = await loadProject(dir, { now: NOW });
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(ok).toBe(true);
  });
});
