/**
 * The GitHub Action's work (action.yml runs this file from the installed package): run
 * `tollgate check` in PR mode against the pull request's base commit, append the Markdown report to
 * the job summary, expose outputs, and create or update tollgate's one PR comment. Exits with
 * check's exit code (0 pass, 1 gate failed, 2 input error); a comment that cannot be posted (a
 * fork's read-only token) is a warning, never a failure.
 */
import { execFile, spawn } from "node:child_process";
import { appendFile, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { commentBody, upsertComment } from "./api.js";
import { checkArgs, readInputs, readPullRequest } from "./inputs.js";

const exec = promisify(execFile);
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "bin", "tollgate.js");

// Workflow commands: a message on one line, so a newline cannot start a command of its own.
const command = (kind: "warning" | "error" | "notice", message: string) =>
  process.stdout.write(`::${kind}::${message.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}\n`);

async function setOutputs(env: NodeJS.ProcessEnv, values: Record<string, string | undefined>): Promise<void> {
  if (!env.GITHUB_OUTPUT) return;
  const lines = Object.entries(values)
    .filter(([, v]) => v !== undefined && !/[\r\n]/.test(v))
    .map(([k, v]) => `${k}=${v}\n`);
  await appendFile(env.GITHUB_OUTPUT, lines.join(""));
}

/** A base commit the shallow checkout lacks is fetched (one commit deep); failure is left to check to report. */
async function ensureCommit(root: string, sha: string): Promise<void> {
  try {
    await exec("git", ["-C", root, "cat-file", "-e", `${sha}^{commit}`]);
  } catch {
    await exec("git", ["-C", root, "fetch", "--no-tags", "--quiet", "--depth=1", "origin", sha]).catch(() => undefined);
  }
}

function runCheck(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const bin = env.TOLLGATE_BIN || BIN;
    // The token is for the comment only: check never sees it.
    const { GITHUB_TOKEN: _t, INPUT_GITHUB_TOKEN: _i, ...childEnv } = env;
    const child = spawn(process.execPath, [bin, ...args], {
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...childEnv, GITHUB_ACTIONS: "true" },
    });
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 2));
  });
}

export async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const inputs = readInputs(env);
  const pr = await readPullRequest(env);
  const base = inputs.base ?? pr?.baseSha;
  if (base && !inputs.base && pr) await ensureCommit(inputs.root, base);
  const dir = await mkdtemp(path.join(env.RUNNER_TEMP || tmpdir(), "tollgate-action-"));
  const files = {
    markdown: path.join(dir, "tollgate.md"),
    json: path.join(dir, "tollgate.json"),
    ...(inputs.sarif ? { sarif: path.join(dir, "tollgate.sarif") } : {}),
  };
  const code = await runCheck(checkArgs(inputs, base, files), env);

  const markdown = await readFile(files.markdown, "utf8").catch(() => undefined);
  const report = await readFile(files.json, "utf8").then(
    (t) => JSON.parse(t),
    () => undefined,
  );
  const text =
    markdown ??
    `## Tollgate: not run\n\n\`tollgate check\` exited with code ${code} before writing a report; see the job log.\n`;
  if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, `${text.replace(/\n*$/, "\n")}`);

  let commentUrl: string | undefined;
  if (inputs.comment && pr) {
    const token = env.GITHUB_TOKEN;
    if (!token) command("warning", "tollgate: no GITHUB_TOKEN, so no PR comment (pass github-token)");
    else {
      try {
        const runUrl =
          env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
            ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
            : "";
        const done = await upsertComment(
          {
            apiUrl: env.GITHUB_API_URL || "https://api.github.com",
            token,
            repository: env.GITHUB_REPOSITORY ?? "",
            issue: pr.number,
          },
          commentBody(text, runUrl ? `<sub>[tollgate run](${runUrl})</sub>` : ""),
        );
        commentUrl = done.url;
        process.stdout.write(`tollgate: ${done.action} the PR comment${done.url ? ` ${done.url}` : ""}\n`);
      } catch (e) {
        command("warning", `tollgate: could not post the PR comment: ${(e as Error).message}`);
      }
    }
  }
  await setOutputs(env, {
    "exit-code": String(code),
    score: report?.score?.percent === undefined ? undefined : String(report.score.percent ?? "n/a"),
    "markdown-file": markdown === undefined ? undefined : files.markdown,
    "sarif-file": files.sarif,
    "json-file": report === undefined ? undefined : files.json,
    "comment-url": commentUrl,
  });
  return code;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runAction().then(
    (code) => process.exit(code),
    (e: unknown) => {
      command("error", `tollgate action: ${(e as Error)?.message ?? String(e)}`);
      process.exit(2);
    },
  );
}
