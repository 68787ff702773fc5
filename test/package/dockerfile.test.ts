/**
 * The Dockerfile that builds the image the generated manifests run, checked without a Docker
 * engine: it parses into known instructions, builds on node:20-slim, copies only what exists and
 * .dockerignore lets through, packs the npm package and runs its `tollgate` bin (which `npm pack`
 * really ships), in the working folder and as the user the generated pods expect.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { loadProject } from "../../load/loader.js";
import { envContext } from "../../infra/generate/context.js";
import { kubernetesCronJobs } from "../../infra/generate/cron.js";
import { REPO } from "../helpers/project.js";

interface Instruction {
  op: string;
  args: string;
  line: number;
}

const KNOWN = new Set([
  "FROM",
  "RUN",
  "CMD",
  "LABEL",
  "EXPOSE",
  "ENV",
  "ADD",
  "COPY",
  "ENTRYPOINT",
  "VOLUME",
  "USER",
  "WORKDIR",
  "ARG",
  "ONBUILD",
  "STOPSIGNAL",
  "HEALTHCHECK",
  "SHELL",
]);

/** Instructions with continuation lines joined; comments and blank lines dropped. */
function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: Instruction | undefined;
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!pending && (line === "" || line.startsWith("#"))) return;
    const continued = line.endsWith("\\");
    const body = continued ? line.slice(0, -1).trim() : line;
    if (pending) pending.args += ` ${body}`;
    else {
      const m = /^([A-Za-z]+)\s+(.*)$/.exec(body);
      if (!m) throw new Error(`Dockerfile:${i + 1}: not an instruction: ${raw}`);
      pending = { op: m[1]!, args: m[2]!, line: i + 1 };
    }
    if (!continued) {
      out.push(pending);
      pending = undefined;
    }
  });
  if (pending) throw new Error("Dockerfile ends inside a continued line");
  return out;
}

const dockerfile = parseDockerfile(readFileSync(path.join(REPO, "Dockerfile"), "utf8"));
const ignore = readFileSync(path.join(REPO, ".dockerignore"), "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));
const pkg = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as Record<string, any>;
const ignored = (p: string) =>
  ignore.some((pat) => {
    const base = pat.replace(/^\*\*\//, "");
    return p === base || p.startsWith(`${base}/`) || p.split("/").includes(base);
  });
const exec = (args: string) => JSON.parse(args) as string[];

describe("Dockerfile", () => {
  it("is made of known instructions, upper case, in two node:20-slim stages", () => {
    for (const i of dockerfile) {
      expect(KNOWN.has(i.op), `line ${i.line}: ${i.op}`).toBe(true);
      expect(i.op, `line ${i.line}`).toBe(i.op.toUpperCase());
    }
    expect(dockerfile.filter((i) => i.op === "FROM").map((i) => i.args)).toEqual([
      "node:20-slim AS build",
      "node:20-slim",
    ]);
  });

  it("copies from the build context only what exists and .dockerignore sends", () => {
    const copies = dockerfile.filter((i) => i.op === "COPY" && !i.args.startsWith("--from="));
    expect(copies.length).toBeGreaterThan(5);
    for (const c of copies) {
      const parts = c.args.split(/\s+/);
      for (const src of parts.slice(0, -1)) {
        expect(existsSync(path.join(REPO, src)), `line ${c.line}: ${src}`).toBe(true);
        expect(ignored(src), `line ${c.line}: ${src} is in .dockerignore`).toBe(false);
      }
    }
    // Every folder the build compiles (tsconfig.build.json) and every entry the package ships is copied.
    const copied = new Set(copies.flatMap((c) => c.args.split(/\s+/).slice(0, -1)));
    const build = JSON.parse(readFileSync(path.join(REPO, "tsconfig.build.json"), "utf8")).include as string[];
    for (const entry of [...build, ...(pkg.files as string[]).filter((f) => f !== "dist")])
      expect(copied.has(entry), entry).toBe(true);
    for (const heavy of [".git", "node_modules", "dist", "cdktf.out", "test"]) expect(ignored(heavy), heavy).toBe(true);
  });

  it("runs the package's own `tollgate` bin, a file npm pack really ships", () => {
    const entry = dockerfile.find((i) => i.op === "ENTRYPOINT")!;
    expect(exec(entry.args)).toEqual(["tollgate"]);
    const bin = pkg.bin.tollgate as string;
    expect(existsSync(path.join(REPO, bin))).toBe(true);
    const packed = JSON.parse(
      execFileSync("npm", ["pack", "--offline", "--dry-run", "--json", "--ignore-scripts"], {
        cwd: REPO,
        encoding: "utf8",
        timeout: 120_000,
      }),
    )[0].files.map((f: { path: string }) => f.path) as string[];
    expect(packed).toContain(bin);
    expect(packed).toContain("package.json");
    // The build stage packs, the run stage installs that tarball.
    expect(dockerfile.some((i) => i.op === "RUN" && /npm pack\b/.test(i.args))).toBe(true);
    expect(
      dockerfile.some((i) => i.op === "RUN" && /npm install --global --omit=dev .*tollgate-\*\.tgz/.test(i.args)),
    ).toBe(true);
  });

  it("works where the generated CronJobs expect: runtime.workdir's default and the pods' non-root user", async () => {
    const { project } = await loadProject(path.join(REPO, "test/fixtures/orgs/local"), { now: "2026-11-24" });
    const ctx = envContext(project.model, "production", pkg.version);
    const job = parseAllDocuments(kubernetesCronJobs(ctx))[0]!.toJS();
    const pod = job.spec.jobTemplate.spec.template.spec;
    const last = (op: string) => dockerfile.filter((i) => i.op === op).at(-1)!.args;
    expect(last("WORKDIR")).toBe(ctx.workdir);
    expect(pod.containers[0].workingDir).toBe(ctx.workdir);
    expect(last("USER")).toBe(`${pod.securityContext.runAsUser}:${pod.securityContext.runAsUser}`);
    expect(ctx.image).toBe(`ghcr.io/tollgate/tollgate:${pkg.version}`);
    expect(readFileSync(path.join(REPO, "Dockerfile"), "utf8")).toContain(`ghcr.io/tollgate/tollgate:${pkg.version}`);
  });
});
