/**
 * `tollgate init [DIR]`: start an estate in someone else's repository. Writes the starter (or, with
 * `--example reference`, the bundled reference organization) and a CI workflow, refusing to touch
 * any existing file; right after it `validate` passes and `check` says what production lacks.
 */
import { existsSync, lstatSync } from "node:fs";
import path from "node:path";
import pc from "picocolors";
import { escapeTerminal } from "../util/terminal-escape.js";
import { EXIT_INPUT, EXIT_OK, UsageError, parseChoice, parseNow, printDiagnostics } from "./common.js";
import { INIT_EXAMPLES, initFiles } from "./init/templates.js";
import { planProblems, writePlan, type InitPlan } from "./init/write.js";

export interface InitOptions {
  org?: string;
  example?: string;
  now?: string;
}

export async function initCommand(dirArg: string | undefined, opts: InitOptions): Promise<number> {
  const example = parseChoice("--example", opts.example ?? "starter", INIT_EXAMPLES);
  const now = parseNow(opts.now);
  if (opts.org !== undefined && (opts.org.trim() === "" || opts.org.length > 200 || /[\p{Cc}]/u.test(opts.org))) {
    throw new UsageError(
      `--org must be 1 to 200 characters on one line (got ${JSON.stringify(opts.org)})`,
      'Example: --org "Acme Inc"',
    );
  }
  const dir = path.resolve(dirArg ?? ".");
  const display = (abs: string) => path.relative(process.cwd(), abs) || ".";
  const top = gitTop(dir);
  const workflowRoot = top && top !== dir ? path.relative(top, dir).split(path.sep).join("/") : undefined;
  const files = await initFiles({
    example,
    dir,
    now,
    ...(opts.org !== undefined ? { org: opts.org } : {}),
    ...(workflowRoot ? { workflowRoot } : {}),
  });
  // An existing .gitignore is the project's: kept as it is, and said so below.
  const kept = files.filter((f) => f.optional && lexists(path.join(dir, f.path)));
  const plan: InitPlan = { dir, files: files.filter((f) => !kept.includes(f)), display };
  const problems = await planProblems(plan);
  if (problems.length > 0) {
    printDiagnostics(problems);
    process.stderr.write(
      `${pc.red("✖")} nothing written: ${problems.length} problem${problems.length === 1 ? "" : "s"} in ${escapeTerminal(display(dir))}\n`,
    );
    return EXIT_INPUT;
  }
  await writePlan(plan);
  const shown = display(dir);
  const root = shown === "." ? "" : ` --root ${shellWord(shown)}`;
  const out = [
    `${pc.green("✔")} ${example === "starter" ? "Started a Tollgate project" : "Copied the reference organization"} in ${escapeTerminal(shown)}:`,
    ...plan.files.map((f) => `  ${escapeTerminal(f.path)}`),
    ...kept.map(
      (f) => `  ${escapeTerminal(f.path)} (kept as it was: make sure it ignores node_modules/ and cdktf.out/)`,
    ),
    "",
    "Next:",
    `  npx tollgate validate${root}    # the manifests are valid`,
    `  npx tollgate check${root}       # what production still needs (the gate fails until then)`,
    "  git add . && git commit         # .github/workflows/tollgate.yml then gates every pull request",
    "",
  ];
  if (top && workflowRoot) {
    const rel = workflowRoot;
    out.push(
      `${pc.yellow("note:")} ${escapeTerminal(shown)} is inside the git repository ${escapeTerminal(display(top))}: GitHub runs workflows only from its root, so move`,
      `  .github/workflows/tollgate.yml to ${escapeTerminal(display(path.join(top, ".github", "workflows")))}/ (its root: input already names ${escapeTerminal(rel)})`,
      "",
    );
  }
  process.stdout.write(`${out.join("\n")}\n`);
  return EXIT_OK;
}

/** The nearest folder at or above `dir` that holds .git, if any. */
export function gitTop(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, ".git"))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** Whether anything (a dangling symlink too) is at `p`. */
function lexists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}
