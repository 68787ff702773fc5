/**
 * Hostile corpus, secrets: every format issue #10 names is found in every place a file can hold it
 * (values, comments, block scalars, escaped keys, free text in waivers, alerts and tollgate.yaml),
 * all at once with file:line:col, exit 2, and the value appears in no output or synth file.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { CHECK_FORMATS } from "../../report/registry.js";
import { afterAll, describe, expect, it } from "vitest";
import { loadProject } from "../../load/loader.js";
import { NOW, copyReferenceOrg, removeDir, runCli, writeProject } from "../helpers/project.js";
import { pemBlock, secretFixtures } from "./secrets-fixtures.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

const FIX = secretFixtures();
const BY_NAME: Record<string, string> = FIX;
const PEM = pemBlock();
const HEAD = "secrets:\n  OTHER_TOKEN:\n    service: api\n    requiredInProduction: false\n";

async function project(files: Record<string, string>): Promise<string> {
  const dir = await writeProject({ "tollgate.yaml": "manifests: [manifests]\n", ...files });
  dirs.push(dir);
  return dir;
}

/** Every part of a value that would count as showing it (a PEM's body lines). */
function parts(value: string): string[] {
  return value.includes("\n") ? value.split("\n").filter((l) => !l.startsWith("-----")) : [value];
}

function expectAbsent(text: string, values: string[]): void {
  for (const v of values) for (const p of parts(v)) expect(text.includes(p), `leaked ${p.slice(0, 6)}…`).toBe(false);
}

async function allFiles(dir: string): Promise<string> {
  let text = "";
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) text += await readFile(path.join(e.parentPath, e.name), "utf8");
  }
  return text;
}

describe("secret formats", () => {
  const cases = Object.entries(FIX).map(([kind, value]) => ({ kind, value }));

  it.each(cases)("$kind as a value and in a comment: both located, never printed", async ({ kind, value }) => {
    const body = `${HEAD}    purpose: "${value}"\n    # rotated from ${value}\n`;
    const dir = await project({ "manifests/leak.yaml": body });
    const { diagnostics } = await loadProject(dir, { now: NOW, displayBase: dir });
    const hits = diagnostics.filter((d) => d.code === "secret-value").map((d) => `${d.file}:${d.line}`);
    expect(hits, kind).toEqual(["manifests/leak.yaml:5", "manifests/leak.yaml:6"]);
    expectAbsent(JSON.stringify(diagnostics), [value]);
  });

  it("a PEM private key in YAML comment lines is found", async () => {
    const dir = await project({
      "manifests/leak.yaml": `${HEAD}    purpose: x\n${PEM.split("\n")
        .map((l) => `# ${l}`)
        .join("\n")}\n`,
    });
    const { diagnostics } = await loadProject(dir, { now: NOW, displayBase: dir });
    expect(diagnostics.filter((d) => d.code === "secret-value")).toEqual([
      expect.objectContaining({ file: "manifests/leak.yaml", line: 6 }),
    ]);
  });

  it("a GCP service-account key pasted as JSON in a block scalar or a double-quoted string is found", async () => {
    const key = PEM.replace(/RSA /g, "");
    const json = JSON.stringify({
      type: "service_account",
      project_id: "p",
      private_key_id: "k1",
      private_key: `${key}\n`,
      client_email: "x@p.iam.gserviceaccount.com",
    });
    const dir = await project({
      "manifests/a.yaml": `${HEAD}    purpose: |\n      ${json}\n`,
      "manifests/b.yaml": `${HEAD}    purpose: ${JSON.stringify(json)}\n`,
    });
    const { diagnostics } = await loadProject(dir, { now: NOW, displayBase: dir });
    expect(
      diagnostics
        .filter((d) => d.code === "secret-value")
        .map((d) => `${d.file}:${d.line}`)
        .sort(),
    ).toEqual(["manifests/a.yaml:6", "manifests/b.yaml:5"]);
    expectAbsent(JSON.stringify(diagnostics), [key]);
  });

  it("a `# secretlint-disable` comment does not switch the scan off", async () => {
    const dir = await project({ "manifests/leak.yaml": `# secretlint-disable\n${HEAD}    purpose: ${FIX.github}\n` });
    const { diagnostics } = await loadProject(dir, { now: NOW, displayBase: dir });
    expect(diagnostics.map((d) => d.code)).toContain("secret-value");
  });
});

describe("one file, many secrets", () => {
  it("every secret in the file is reported at once with file:line:col, through the CLI, value-free in text and json", async () => {
    const names = Object.keys(FIX);
    const lines = names.map((k, i) =>
      i % 3 === 0
        ? `# ${k}: ${BY_NAME[k]}`
        : i % 3 === 1
          ? `    ${k.toLowerCase()}: "${BY_NAME[k]}"`
          : `    # ${BY_NAME[k]}`,
    );
    const body = `${HEAD}    purpose: |\n${PEM.split("\n")
      .map((l) => `      ${l}`)
      .join("\n")}\n${lines.join("\n")}\n`;
    const dir = await project({ "manifests/many.yaml": body });
    const expected = [6, ...names.map((_, i) => 6 + PEM.split("\n").length + i)];
    for (const format of ["text", "json"]) {
      const r = await runCli(["validate", "--root", dir, "--now", NOW, "--format", format], { cwd: dir });
      expect(r.code).toBe(2);
      const out = r.stdout + r.stderr;
      const located = [
        ...out.matchAll(
          format === "text"
            ? /manifests\/many\.yaml:(\d+):\d+ secret-value/g
            : /"code": "secret-value"[^}]*?"line": (\d+)/g,
        ),
      ].map((m) => Number(m[1]));
      expect(new Set(located), format).toEqual(new Set(expected));
      expectAbsent(out, [...Object.values(FIX), PEM]);
    }
  });
});

describe("escaped and folded forms", () => {
  const gh = FIX.github;
  const escapedKey = `"\\x${gh.charCodeAt(0).toString(16)}${gh.slice(1, 5)}\\u00${gh.charCodeAt(5).toString(16)}${gh.slice(6)}"`;

  it("a token written with YAML escapes as an unknown key is detected and never printed decoded", async () => {
    const dir = await project({ "manifests/leak.yaml": `${HEAD}    purpose: x\n    ${escapedKey}: 1\n` });
    const { diagnostics } = await loadProject(dir, { now: NOW, displayBase: dir });
    expect(diagnostics.filter((d) => d.code === "secret-value")).toEqual([expect.objectContaining({ line: 6 })]);
    expect(diagnostics.some((d) => d.code === "unknown-key")).toBe(true);
    const r = await runCli(["validate", "--root", dir, "--now", NOW, "--format", "json"], { cwd: dir });
    expect(r.code).toBe(2);
    expectAbsent(r.stdout + r.stderr + JSON.stringify(diagnostics), [gh]);
  });

  it("an AWS key id split by a double-quoted line continuation, or folded, is found and never printed", async () => {
    const id = FIX.awsAccessKeyId;
    const dir = await project({
      "manifests/a.yaml": `${HEAD}    purpose: "${id.slice(0, 9)}\\\n      ${id.slice(9)}"\n`,
      "manifests/b.yaml": `services:\n  api:\n    kind: http\n    owner: a\n    tier: low\n    "${id.slice(0, 4)}\\\n      ${id.slice(4)}": 1\n`,
    });
    const { diagnostics } = await loadProject(dir, { now: NOW, displayBase: dir });
    const hits = diagnostics
      .filter((d) => d.code === "secret-value")
      .map((d) => `${d.file}:${d.line}`)
      .sort();
    expect(hits).toEqual(["manifests/a.yaml:5", "manifests/b.yaml:6"]);
    expectAbsent(JSON.stringify(diagnostics), [id]);
  });

  it("an AWS secret key with JSON-style \\/ escapes is redacted in every message", async () => {
    const key = FIX.awsSecretAccessKey;
    const dir = await project({
      "manifests/a.yaml": `${HEAD}    "aws_secret_access_key: ${key.replace(/\//g, "\\/")}": 1\n`,
    });
    const { diagnostics } = await loadProject(dir, { now: NOW, displayBase: dir });
    expect(diagnostics.map((d) => d.code)).toContain("secret-value");
    expectAbsent(JSON.stringify(diagnostics), [key, key.replace(/\//g, "\\/")]);
  });
});

describe("every file Tollgate reads", () => {
  it("tollgate.yaml comments, waiver reasons and alert descriptions: exit 2 everywhere, nothing synthesized, value nowhere", {
    timeout: 300_000,
  }, async () => {
    const root = await copyReferenceOrg();
    dirs.push(root);
    const id = FIX.awsAccessKeyId;
    const oa = FIX.openaiProjectNoMarker;
    const cfgPath = path.join(root, "tollgate.yaml");
    await writeFile(cfgPath, `${await readFile(cfgPath, "utf8")}# old key: ${FIX.stripe}\n`);
    const wPath = path.join(root, "waivers.yaml");
    await writeFile(wPath, (await readFile(wPath, "utf8")).replace("reason: GA calls", `reason: token ${oa} GA calls`));
    const aPath = path.join(root, "manifests/alerts.yaml");
    await writeFile(
      aPath,
      (await readFile(aPath, "utf8")).replace(
        "description: A required service fails its probe.",
        `description: A required service fails its probe (key ${id}).`,
      ),
    );
    const { diagnostics } = await loadProject(root, { now: NOW, displayBase: root });
    expect(
      diagnostics
        .filter((d) => d.code === "secret-value")
        .map((d) => d.file)
        .sort(),
    ).toEqual(["manifests/alerts.yaml", "tollgate.yaml", "waivers.yaml"]);
    const leaked = [id, oa, FIX.stripe];
    // Every format check has (the reporter table), so a new one is covered when it is added.
    expect(CHECK_FORMATS.length).toBeGreaterThanOrEqual(10);
    for (const format of CHECK_FORMATS) {
      const file = path.join(root, `out.${format}`);
      const r = await runCli(
        ["check", "--root", root, "--now", NOW, "--format", format, "--format", `${format}=${file}`],
        { cwd: root },
      );
      expect(r.code, format).toBe(2);
      expectAbsent(r.stdout + r.stderr, leaked);
      expectAbsent(await readFile(file, "utf8"), leaked);
    }
    // serve's error path: it refuses to start on these manifests, and says so without the values.
    const served = await runCli(["serve", "--root", root, "--listen", "127.0.0.1:0"], { cwd: root });
    expect(served.code).toBe(2);
    expect(served.stderr).toContain("secret-value");
    expectAbsent(served.stdout + served.stderr, leaked);
    const out = path.join(root, "synth-out");
    const s = await runCli(["synth", "--root", root, "--now", NOW, "--all", "--out", out], { cwd: root });
    expect(s.code).toBe(2);
    expectAbsent(s.stdout + s.stderr, leaked);
    const written = await allFiles(out).catch(() => "");
    expectAbsent(written, leaked);
  });
});

describe("chat webhook URLs and base64-wrapped tokens", () => {
  it("a Telegram bot URL and a Discord webhook URL as channel URLs, and a base64-wrapped token in free text: exit 2 everywhere, redacted in every output", {
    timeout: 300_000,
  }, async () => {
    const root = await copyReferenceOrg();
    dirs.push(root);
    const cPath = path.join(root, "manifests/channels.yaml");
    const channels = `${await readFile(cPath, "utf8")}  tg-bot: { type: webhook, severities: [critical], url: "${FIX.telegramBotUrl}" }\n  discord-ops: { type: webhook, severities: [warning], url: "${FIX.discordappWebhookUrl}" }\n`;
    await writeFile(cPath, channels);
    const aPath = path.join(root, "manifests/alerts.yaml");
    await writeFile(
      aPath,
      (await readFile(aPath, "utf8")).replace(
        "description: A required service fails its probe.",
        `description: "A required service fails its probe (header ${FIX.base64BearerOpenai})."`,
      ),
    );
    const { diagnostics } = await loadProject(root, { now: NOW, displayBase: root });
    const hits = diagnostics.filter((d) => d.code === "secret-value");
    expect(hits.map((d) => d.file).sort()).toEqual([
      "manifests/alerts.yaml",
      "manifests/channels.yaml",
      "manifests/channels.yaml",
    ]);
    const decoded = Buffer.from(FIX.base64BearerOpenai, "base64")
      .toString("utf8")
      .replace("Authorization: Bearer ", "");
    const telegramToken = /bot([^/]+)\//.exec(FIX.telegramBotUrl)![1]!;
    const discordToken = FIX.discordappWebhookUrl.split("/").pop()!;
    const leaked = [FIX.base64BearerOpenai, decoded, telegramToken, discordToken];
    expectAbsent(JSON.stringify(diagnostics), leaked);
    for (const format of ["text", "json", "sarif", "junit", "markdown", "github"]) {
      const r = await runCli(["check", "--root", root, "--now", NOW, "--format", format], { cwd: root });
      expect(r.code, format).toBe(2);
      expect(r.stdout + r.stderr, format).toContain("secret-value");
      expectAbsent(r.stdout + r.stderr, leaked);
    }
    const out = path.join(root, "synth-out");
    const s = await runCli(["synth", "--root", root, "--now", NOW, "--all", "--out", out], { cwd: root });
    expect(s.code).toBe(2);
    expectAbsent(s.stdout + s.stderr + (await allFiles(out).catch(() => "")), leaked);
  });

  it("ordinary base64-looking text (hashes, paths, a base64 of prose) is not a secret", async () => {
    const prose = Buffer.from("The nightly batch owns this integration and pages the data team.").toString("base64");
    const body = `${HEAD}    purpose: "${prose}"\n    readers: ["/var/lib/node_exporter/textfile_collector/tollgate", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"]\n`;
    const dir = await project({ "manifests/clean.yaml": body });
    const { diagnostics } = await loadProject(dir, { now: NOW, displayBase: dir });
    expect(diagnostics.filter((d) => d.code === "secret-value")).toEqual([]);
  });
});
