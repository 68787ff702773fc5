/**
 * Nothing in the repository installs Tollgate by a bare registry name: the project does not own
 * the name on npm, so installing it by that name (its `latest` tag, `npx -y` on it) would run
 * whatever someone registered under that name (in CI, with the workflow's token). Every tracked
 * file is read; the install line is a git tag (README "Adopt it") and the Action runs its own copy.
 * The name is assembled at run time so this file does not match its own patterns.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/project.js";

const NAME = ["toll", "gate"].join("");
/** The name as a package of its own: not part of `tollgate-dev/tollgate`, `@tollgate/x`, `github:…`, a path or a longer word. */
const BARE = `(?<![\\w@/.:#-])${NAME}(?![\\w/.-])`;
/** One shell command: stops at `&&`, `;`, `|` and the end of the line. */
const SAME_COMMAND = "[^\\n;&|]*?";

const RULES: { name: string; re: RegExp }[] = [
  {
    name: "a package manager installs or runs it by name",
    re: new RegExp(`\\b(?:npm|pnpm|yarn|bun)\\s+(?:install|i|add|exec|x|dlx|create)\\b${SAME_COMMAND}${BARE}`),
  },
  {
    name: "npx may fetch it from the registry",
    re: new RegExp(`\\bnpx\\s+(?:-y|--yes|-p|--package)\\b${SAME_COMMAND}${BARE}`),
  },
  {
    name: "a registry version spec",
    re: new RegExp(`${BARE.replace("(?![\\w/.-])", "")}@(?:latest|next|[\\^~\\d$\\{"'*])`),
  },
  {
    name: "a registry install of a scoped name",
    re: new RegExp(
      `\\b(?:npm|pnpm|yarn|bun)\\s+(?:install|i|add|exec|x|dlx)\\b(?![^\\n;&|]*\\s(?:-w|--workspace)[\\s=])${SAME_COMMAND}(?<![\\w/.:#-])@${NAME}/`,
    ),
  },
];

/** What a file or text breaks: [rule name, offending line]. */
function violations(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const line of text.split("\n")) for (const r of RULES) if (r.re.test(line)) out.push([r.name, line.trim()]);
  return out;
}

/** A workflow (YAML file or fenced yaml block) that runs `npx tollgate` must install the project's dependencies first. */
function npxWithoutInstall(yaml: string): boolean {
  const at = yaml.search(new RegExp(`\\bnpx\\s+${NAME}\\b`));
  return at >= 0 && !/\bnpm\s+(?:ci|install|i)\b/.test(yaml.slice(0, at));
}

describe("no bare-name install of Tollgate", () => {
  it("the patterns catch the forms that fetch by name, and leave the safe ones alone", () => {
    const bad = [
      `npm install --save-dev ${NAME} typescript @types/node`,
      `npm install --no-save --no-audit --prefix "$RUNNER_TEMP/x" "${NAME}@\${TOLLGATE_VERSION:-latest}" >&2`,
      `npm i -D ${NAME}`,
      `yarn add -D ${NAME}@0.1.0`,
      `pnpm dlx ${NAME} check`,
      `npx -y ${NAME} check`,
      `npx --package=${NAME} ${NAME} check`,
      `npm exec ${NAME} -- check`,
      `run: npx ${NAME}@latest check`,
      `npm install @${NAME}/client`,
    ];
    const good = [
      `npm install --save-dev github:${NAME}-dev/${NAME}#v0.1.0 typescript @types/node`,
      `- uses: ${NAME}-dev/${NAME}@main`,
      `npm ci && npm run build && npx ${NAME} check --now 2026-11-24`,
      `npm install -w @${NAME}/client ioredis`,
      `node_modules/${NAME}/schemas/`,
      `npm install --save-dev typescript && npx ${NAME} check`,
    ];
    for (const line of bad) expect(violations(line), line).not.toEqual([]);
    for (const line of good) expect(violations(line), line).toEqual([]);
    expect(npxWithoutInstall(`steps:\n  - run: npx ${NAME} check\n`)).toBe(true);
    expect(npxWithoutInstall(`steps:\n  - run: npm ci\n  - run: npx ${NAME} check\n`)).toBe(false);
  });

  it("no tracked file installs it by a bare name, and no workflow runs npx before installing", () => {
    const files = execFileSync("git", ["-C", REPO, "ls-files", "-z"])
      .toString()
      .split("\0")
      .filter((f) => f && f !== "package-lock.json");
    expect(files.length).toBeGreaterThan(100);
    const found: string[] = [];
    let read = 0;
    for (const file of files) {
      let text: string;
      try {
        const bytes = readFileSync(path.join(REPO, file));
        if (bytes.includes(0)) continue; // binary
        text = bytes.toString("utf8");
      } catch {
        continue; // deleted in the worktree, not yet committed
      }
      read++;
      for (const [rule, line] of violations(text)) found.push(`${file}: ${rule}: ${line}`);
      const workflows = /\.ya?ml$/.test(file)
        ? [text]
        : file.endsWith(".md")
          ? [...text.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => m[1]!)
          : [];
      for (const w of workflows)
        if (npxWithoutInstall(w))
          found.push(`${file}: a workflow runs npx ${NAME} without installing the project's dependencies first`);
    }
    expect(read).toBeGreaterThan(100);
    expect(found).toEqual([]);
  });
});
