/**
 * Hostile corpus, second round: what a red-team pass over the merged guarantees broke, each kept
 * as a test. Custom-policy links out of the root, private keys secretlint misses, credentials in
 * URLs and glued to other text, a file name that once crashed the scanner, hostile synth lock
 * files, and control characters in the CI formats.
 */
import { generateKeyPairSync } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pick } from "../helpers/tokens.js";
import { NOW, removeDir, runCli, tempDir, writeProject } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));
const keep = (d: string) => (dirs.push(d), d);

const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const SERVICE = "services:\n  api:\n    kind: http-api\n    owner: team\n    tier: high\n";
/** An alert whose description carries the text under test (free text that reaches rules.yml). */
const alertWith = (text: string) =>
  `alerts:\n  Down:\n    condition: probe-failing\n    severity: critical\n    description: ${JSON.stringify(text)}\n`;
const envs = "environments:\n  staging:\n    deployed: true\n";

async function project(files: Record<string, string>): Promise<string> {
  return keep(
    await writeProject({
      "tollgate.yaml": "manifests: [manifests]\n",
      "manifests/env.yaml": envs,
      "manifests/svc.yaml": SERVICE,
      ...files,
    }),
  );
}

describe("credentials secretlint alone misses", () => {
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" })
    .privateKey.export({ format: "pem", type: "sec1" })
    .toString();
  const ed = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  const enc = generateKeyPairSync("ec", { namedCurve: "P-256" })
    .privateKey.export({ format: "pem", type: "pkcs8", cipher: "aes-256-cbc", passphrase: "pw" })
    .toString();
  const cases: [string, string, string][] = [
    [
      "an EC private key",
      "manifests/alerts.yaml",
      `alerts:\n  Down:\n    condition: probe-failing\n    severity: critical\n    description: |\n${ec
        .trim()
        .split("\n")
        .map((l) => `      ${l}`)
        .join("\n")}\n`,
    ],
    [
      "an ed25519 PKCS#8 key in a comment",
      "manifests/alerts.yaml",
      `${ed
        .trim()
        .split("\n")
        .map((l) => `# ${l}`)
        .join("\n")}\n${alertWith("fine")}`,
    ],
    [
      "an encrypted private key",
      "manifests/alerts.yaml",
      `${alertWith("x")}# ${enc.trim().split("\n").join("\n# ")}\n`,
    ],
    [
      "a URL with a password of any characters and a long top-level domain",
      "manifests/alerts.yaml",
      alertWith(`clone https://deploy:${pick(5, ALNUM, 6)}.${pick(6, ALNUM, 6)}@git.company.internal/repo`),
    ],
    ["an AWS key id glued to other text", "manifests/alerts.yaml", alertWith(`AWS_KEY_AKIA${pick(7, UPPER, 16)}`)],
    ["a GitHub token with a suffix", "manifests/alerts.yaml", alertWith(`xghp_${pick(8, ALNUM, 36)}_x`)],
    ["an OpenAI project key after a prefix", "manifests/alerts.yaml", alertWith(`KEY_sk-proj-${pick(9, ALNUM, 48)}`)],
  ];
  it.each(cases)("%s: validate exits 2 and synth writes nothing", async (_what, file, content) => {
    const dir = await project({ [file]: content });
    const v = await runCli(["validate", "--root", dir, "--now", NOW]);
    expect(v.code, v.stdout + v.stderr).toBe(2);
    expect(v.stdout + v.stderr).toMatch(/secret-detected|secret/);
    const s = await runCli(["synth", "--root", dir, "--now", NOW, "--env", "staging", "--out", path.join(dir, "out")]);
    expect(s.code).toBe(2);
    expect(existsSync(path.join(dir, "out"))).toBe(false);
  });

  it("a placeholder password in a URL is not a secret", async () => {
    const dir = await project({
      "manifests/alerts.yaml": alertWith("clone https://deploy:${GIT_TOKEN}@git.company.internal/repo"),
    });
    const v = await runCli(["validate", "--root", dir, "--now", NOW]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
  });
});

describe("custom policy modules", () => {
  it("a module that links out of the root is never imported, and a load error never shows a secret", async () => {
    const outside = keep(await tempDir("tollgate-outside-"));
    const marker = path.join(outside, "PWNED");
    await writeFile(
      path.join(outside, "evil.mjs"),
      `import { writeFileSync } from "node:fs";\nwriteFileSync(${JSON.stringify(marker)}, "ran");\nexport default {};\n`,
    );
    const token = `ghp_${pick(21, ALNUM, 36)}`;
    const dir = await project({
      "tollgate.yaml": "manifests: [manifests]\ncustomPolicies: policies-local\n",
      "policies-local/leaky.mjs": `${token}\n`,
    });
    await symlink(path.join(outside, "evil.mjs"), path.join(dir, "policies-local", "evil.mjs"));
    const r = await runCli(["check", "--root", dir, "--now", NOW]);
    expect(r.code).toBe(2);
    expect(existsSync(marker)).toBe(false);
    expect(r.stderr).toMatch(/evil\.mjs:1:1 path-outside-root/);
    expect(r.stderr).toMatch(
      /leaky\.mjs:1:1 custom-policy-invalid could not load custom policy module: .*\[REDACTED\]/,
    );
    expect(r.stdout + r.stderr).not.toContain(token);
  });
});

describe("file names and lock files", () => {
  it("a manifest whose name holds a newline and escape codes is reported, escaped, without a crash", async () => {
    const dir = await project({});
    await writeFile(path.join(dir, "manifests", "x\u001b[2J\nFAKE.yaml"), "services:\n  bad: 1\n");
    const r = await runCli(["validate", "--root", dir, "--now", NOW]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain("\u001b");
    expect(r.stderr).not.toMatch(/DOMException|    at /);
    expect(r.stdout + r.stderr).toContain("x\\e[2J\\nFAKE.yaml");
  });

  it.each([
    ["a symbolic link", async (lock: string) => symlink("/dev/zero", lock)],
    ["a folder", async (lock: string) => mkdir(lock)],
    [
      "a FIFO",
      async (lock: string) => {
        execFileSync("mkfifo", [lock]);
      },
    ],
  ])("a synth lock that is %s is refused with exit 2, never read or removed", async (_what, make) => {
    const dir = await project({});
    const out = path.join(dir, "cdktf.out");
    await make(`${out}.lock`);
    const r = await runCli(["synth", "--root", dir, "--now", NOW, "--env", "staging", "--out", out], {
      timeoutMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("is not a lock file Tollgate wrote");
    expect(r.stderr).not.toContain("internal error");
  });
});

describe("control characters in the CI formats", () => {
  it("markdown and github output show ESC as an escape, never raw", async () => {
    const dir = await project({
      "manifests/alerts.yaml": 'alerts:\n  "Svc\\e[5mDown":\n    condition: probe-failing\n    severity: critical\n',
    });
    for (const format of ["markdown", "github"]) {
      const r = await runCli(["check", "--root", dir, "--now", NOW, "--format", format]);
      expect(r.stdout + r.stderr, format).not.toContain("\u001b");
    }
  });
});
