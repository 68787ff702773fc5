/**
 * The GitHub Action's script (dist/cli/github-action/main.js, what action.yml runs) outside GitHub:
 * a temporary git repository with a base commit and a PR commit, the GITHUB_* variables a runner
 * sets, and a real HTTP server on 127.0.0.1 playing the REST API's issue-comment endpoints. The
 * summary gets the Markdown, the first run creates the comment and the second updates it, the
 * exit code is the gate's, and the token reaches GITHUB_API_URL only.
 */
import { execFileSync, spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiBase, commentBody, MARKER, MAX_BODY } from "../../cli/github-action/api.js";
import { NOW, REPO, copyReferenceOrg, removeDir, tempDir } from "../helpers/project.js";
import { startHttp, type Running } from "../helpers/servers.js";
import { editYaml } from "../helpers/yaml-edit.js";

const SCRIPT = path.join(REPO, "dist/cli/github-action/main.js");
const TOKEN = "ghs_testtokenvalue0123456789";
const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@t.example",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@t.example",
};

interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  body: string;
}
interface Comment {
  id: number;
  body: string;
  html_url: string;
  user?: { login: string; type: string };
}

let repo: string;
let work: string;
let baseSha: string;
let api: Running;
let elsewhere: Running;
const seen: Seen[] = [];
const elsewhereSeen: Seen[] = [];
const comments: Comment[] = [{ id: 1, body: "looks good to me", html_url: "https://example.test/c/1" }];
const mode = { failPost: false, redirectList: false };

const bodyOf = (req: IncomingMessage) =>
  new Promise<string>((r) => {
    let b = "";
    req.on("data", (d) => (b += d));
    req.on("end", () => r(b));
  });

beforeAll(async () => {
  // The GitHub REST API under a GHES-style prefix, so the script must keep GITHUB_API_URL's path.
  api = await startHttp(async (req, res) => {
    const body = await bodyOf(req);
    seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
    const json = (status: number, data: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(data));
    };
    const url = new URL(req.url!, "http://x");
    if (mode.redirectList) {
      res.writeHead(302, { location: `${elsewhere.url}${url.pathname}` });
      res.end();
      return;
    }
    if (req.method === "GET" && url.pathname === "/api/v3/repos/acme/estate/issues/7/comments") {
      const page = Number(url.searchParams.get("page"));
      return json(200, page === 1 ? comments : []);
    }
    if (req.method === "POST" && url.pathname === "/api/v3/repos/acme/estate/issues/7/comments") {
      if (mode.failPost) return json(403, { message: "Resource not accessible by integration" });
      const c = {
        id: 100 + comments.length,
        body: JSON.parse(body).body,
        html_url: `https://example.test/c/${100 + comments.length}`,
        user: { login: "github-actions[bot]", type: "Bot" },
      };
      comments.push(c);
      return json(201, c);
    }
    const m = /^\/api\/v3\/repos\/acme\/estate\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (req.method === "PATCH" && m) {
      const c = comments.find((x) => x.id === Number(m[1]));
      if (!c) return json(404, { message: "Not Found" });
      c.body = JSON.parse(body).body;
      return json(200, c);
    }
    json(404, { message: "Not Found" });
  });
  elsewhere = await startHttp(async (req, res) => {
    elsewhereSeen.push({
      method: req.method!,
      url: req.url!,
      auth: req.headers.authorization,
      body: await bodyOf(req),
    });
    res.end("[]");
  });

  repo = await copyReferenceOrg();
  work = await tempDir();
  const git = (...a: string[]) =>
    execFileSync("git", ["-C", repo, ...a], { env: gitEnv })
      .toString()
      .trim();
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-qm", "base");
  baseSha = git("rev-parse", "HEAD");
  // The PR drops a runbook: one new error finding.
  await editYaml(path.join(repo, "secrets-manifest/openai.yaml"), (doc) =>
    doc.deleteIn(["secrets", "OPENAI_API_KEY", "runbook"]),
  );
  git("commit", "-qam", "drop a runbook");
}, 120_000);

afterAll(async () => {
  await api?.close();
  await elsewhere?.close();
  await Promise.all([repo, work].filter(Boolean).map(removeDir));
});

async function runAction(
  name: string,
  extra: Record<string, string> = {},
  event: unknown = { pull_request: { number: 7, base: { sha: baseSha, ref: "main" } } },
) {
  const eventPath = path.join(work, `${name}-event.json`);
  const summary = path.join(work, `${name}-summary.md`);
  const output = path.join(work, `${name}-output.txt`);
  await writeFile(eventPath, JSON.stringify(event));
  await writeFile(summary, "earlier step\n");
  await writeFile(output, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    NO_COLOR: "1",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
    GITHUB_API_URL: `${api.url}/api/v3`,
    GITHUB_SERVER_URL: elsewhere.url,
    GITHUB_REPOSITORY: "acme/estate",
    GITHUB_RUN_ID: "42",
    RUNNER_TEMP: work,
    GITHUB_TOKEN: TOKEN,
    INPUT_ROOT: ".",
    INPUT_NOW: NOW,
    ...extra,
  };
  const child = spawn(process.execPath, [SCRIPT], { cwd: repo, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const code = await new Promise<number>((r) => child.on("close", (c) => r(c ?? -1)));
  const outputs = Object.fromEntries(
    (await readFile(output, "utf8"))
      .split("\n")
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  return { code, stdout, stderr, summary: await readFile(summary, "utf8"), outputs };
}

describe("the GitHub Action's script", () => {
  it("gates the PR, writes the summary, creates the comment once and then updates it", async () => {
    const first = await runAction("first");
    expect(first.code, first.stderr).toBe(1);
    expect(first.summary.startsWith("earlier step\n## Tollgate readiness: ")).toBe(true);
    expect(first.summary).toContain("### New findings (1)");
    expect(first.summary).toContain("secret/OPENAI_API_KEY");
    expect(first.summary).toContain("### How to fix");
    expect(first.stdout).toMatch(/^::error file=secrets-manifest\/openai\.yaml/m);
    expect(first.stderr).toContain("1 new finding (--fail-on-new)");
    expect(first.outputs).toMatchObject({ "exit-code": "1", "comment-url": "https://example.test/c/101" });
    expect(JSON.parse(await readFile(first.outputs["sarif-file"]!, "utf8")).version).toBe("2.1.0");
    expect(first.outputs.score).toMatch(/^\d+$/);
    expect(seen.map((s) => s.method)).toEqual(["GET", "POST"]);
    expect(comments).toHaveLength(2);
    expect(comments[1]!.body.startsWith(`${MARKER}\n## Tollgate readiness`)).toBe(true);
    expect(comments[1]!.body).toContain(`${elsewhere.url}/acme/estate/actions/runs/42`);

    comments[1]!.body = comments[1]!.body.replace("New findings", "STALE");
    const second = await runAction("second");
    expect(second.code).toBe(1);
    expect(seen.map((s) => s.method)).toEqual(["GET", "POST", "GET", "PATCH"]);
    expect(seen[3]!.url).toBe("/api/v3/repos/acme/estate/issues/comments/101");
    expect(comments).toHaveLength(2);
    expect(comments[1]!.body).toContain("### New findings (1)");
    expect(comments[0]!.body).toBe("looks good to me");

    // The token went with every API request, and nowhere else (not to the server URL, not to check).
    expect(seen.every((s) => s.auth === `Bearer ${TOKEN}`)).toBe(true);
    expect(elsewhereSeen).toHaveLength(0);
    for (const r of [first, second]) expect(`${r.stdout}${r.stderr}${r.summary}`).not.toContain(TOKEN);
  }, 240_000);

  it("passes a PR that changes nothing, and an unchanged PR with fail-on-new off still fails on the estate's errors", async () => {
    const head = execFileSync("git", ["-C", repo, "rev-parse", "HEAD"]).toString().trim();
    const same = await runAction(
      "same",
      { INPUT_COMMENT: "false" },
      { pull_request: { number: 7, base: { sha: head, ref: "main" } } },
    );
    expect(same.code, same.stderr).toBe(0);
    expect(same.summary).toContain("No new or fixed findings.");
    expect(same.outputs["exit-code"]).toBe("0");
    const strict = await runAction(
      "strict",
      { INPUT_COMMENT: "false", INPUT_FAIL_ON_NEW: "false", INPUT_SARIF: "false" },
      { pull_request: { number: 7, base: { sha: head, ref: "main" } } },
    );
    expect(strict.code).toBe(1);
    expect(strict.outputs["sarif-file"]).toBeUndefined();
  }, 240_000);

  it("a comment the token may not post is a warning; a redirect is refused, so the token never leaves the API host", async () => {
    const before = seen.length;
    mode.failPost = true;
    comments.splice(1);
    const denied = await runAction("denied");
    mode.failPost = false;
    expect(denied.code).toBe(1);
    expect(denied.stdout).toMatch(
      /^::warning::tollgate: could not post the PR comment: POST \S+ HTTP 403 Resource not accessible/m,
    );
    expect(denied.summary).toContain("### New findings (1)");

    mode.redirectList = true;
    const redirected = await runAction("redirected");
    mode.redirectList = false;
    expect(redirected.code).toBe(1);
    expect(redirected.stdout).toMatch(/^::warning::tollgate: could not post the PR comment/m);
    expect(elsewhereSeen).toHaveLength(0);
    expect(seen.slice(before).map((s) => s.method)).toEqual(["GET", "POST", "GET"]);
  }, 240_000);

  it("input errors exit 2 with the diagnostics in the summary", async () => {
    const broken = await runAction("broken", { INPUT_COMMENT: "false", INPUT_ENV: "nowhere" });
    expect(broken.code).toBe(2);
    expect(broken.summary).toContain("## Tollgate readiness: not evaluated");
    expect(broken.outputs["exit-code"]).toBe("2");
  }, 240_000);
});

describe("the API client", () => {
  it("sends the token only to https, or http on loopback, without credentials in the URL", () => {
    expect(apiBase("https://api.github.com").host).toBe("api.github.com");
    expect(apiBase("http://127.0.0.1:8080/api/v3").pathname).toBe("/api/v3");
    for (const bad of [
      "http://api.github.com",
      "http://10.0.0.1",
      "ftp://127.0.0.1",
      "https://u:p@api.github.com",
      "not a url",
    ])
      expect(() => apiBase(bad), bad).toThrow();
  });

  it("keeps the marker and cuts a long report to GitHub's limit", () => {
    const body = commentBody("x".repeat(200_000), "footer");
    expect(body.length).toBeLessThanOrEqual(MAX_BODY);
    expect(body.startsWith(`${MARKER}\n`)).toBe(true);
    expect(body.endsWith("\n\nfooter")).toBe(true);
    expect(body).toContain("report shortened");
  });
});

describe("action.yml", () => {
  it("passes every input the script reads, and runs the script the package builds", async () => {
    const { parse } = await import("yaml");
    const action = parse(await readFile(path.join(REPO, "action.yml"), "utf8"));
    expect(action.runs.using).toBe("composite");
    const step = action.runs.steps.find((s: any) => s.id === "check");
    expect(step.run).toContain("dist/cli/github-action/main.js");
    const passed = Object.keys(step.env)
      .filter((k) => k.startsWith("INPUT_"))
      .map((k) => k.slice(6).toLowerCase().replace(/_/g, "-"));
    const declared = Object.keys(action.inputs).filter((k) => !["node-version", "github-token"].includes(k));
    expect(passed.sort()).toEqual(declared.sort());
    expect(step.env.GITHUB_TOKEN).toBe("${{ inputs.github-token }}");
    const upload = action.runs.steps.find((s: any) =>
      String(s.uses ?? "").startsWith("github/codeql-action/upload-sarif"),
    );
    expect(upload.if).toContain("always()");
    expect(upload["continue-on-error"]).toBe(true);
    // The gate is the last step and reads the check step's exit code.
    expect(action.runs.steps.at(-1).env.CODE).toBe("${{ steps.check.outputs.exit-code }}");
    expect(upload.with.sarif_file).toBe("${{ steps.check.outputs.sarif-file }}");
  });

  it("is used by the workflow tollgate init writes with declared inputs only", async () => {
    const { parse } = await import("yaml");
    const action = parse(await readFile(path.join(REPO, "action.yml"), "utf8"));
    const workflow = parse(
      await readFile(path.join(REPO, "examples", "starter", ".github", "workflows", "tollgate.yml"), "utf8"),
    );
    const steps = Object.values(workflow.jobs).flatMap((j: any) => j.steps);
    const uses = steps.filter((s: any) => String(s.uses ?? "").startsWith("tollgate-dev/tollgate@"));
    expect(uses).toHaveLength(1);
    // An undeclared input (a typo, a renamed one) is only a warning on GitHub and silently ignored.
    for (const key of Object.keys(uses[0].with ?? {}))
      expect(Object.keys(action.inputs), `workflow input ${key}`).toContain(key);
    expect(workflow.permissions).toMatchObject({ "pull-requests": "write", "security-events": "write" });
  });
});
