/**
 * What `tollgate init` writes: the starter (examples/starter/) or the bundled reference
 * organization, read from the installed package and adapted to the adopter's folder. The templates
 * are real files (a test validates them); only three things change on the way out: each
 * `$schema` line is pointed at node_modules/tollgate/schemas/ relative to the written file, the
 * starter's lastRotated dates become today, and `--org` replaces the organization.
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import YAML from "yaml";
import { packageRoot } from "../../util/package-root.js";

export type InitExample = "starter" | "reference";
export const INIT_EXAMPLES = ["starter", "reference"] as const satisfies readonly InitExample[];

/** A file to write, `path` relative to the target folder with `/` separators. */
export interface InitFile {
  path: string;
  content: string;
  /** Kept as it is when it already exists (never overwritten, never a reason to write nothing). */
  optional?: boolean;
}

/**
 * What Tollgate and the tools it runs create in a project, kept out of git: `git add .` after init
 * must not stage node_modules (which also holds the --cache folder). A file, not a template: npm
 * leaves .gitignore files out of packages.
 */
export const GITIGNORE = {
  path: ".gitignore",
  content: [
    "# Written by tollgate init: what the tools create, kept out of git.",
    "# npm, and tollgate's --cache (node_modules/.cache/tollgate)",
    "node_modules/",
    "# tollgate synth's default --out",
    "cdktf.out/",
    "# tollgate check --base: the base revision, extracted while a run compares with it",
    ".tollgate/",
    "dist/",
    "",
  ].join("\n"),
  optional: true,
} as const satisfies InitFile;

export interface TemplateOptions {
  example: InitExample;
  /** The absolute target folder (decides the $schema paths). */
  dir: string;
  org?: string;
  /** YYYY-MM-DD written as the starter secret's lastRotated. */
  now: string;
  /** The target relative to the git repository root, when it is a subfolder (the workflow's root: input). */
  workflowRoot?: string;
}

/** The CI workflow; the reference organization gets the starter's too. */
const WORKFLOW = ".github/workflows/tollgate.yml";
const REFERENCE = ["tollgate.yaml", "waivers.yaml", "manifests", "secrets-manifest"];
const SCHEMA_LINE = /^(# yaml-language-server: \$schema=)(\S+)$/m;

export async function initFiles(opts: TemplateOptions): Promise<InitFile[]> {
  const root = packageRoot();
  const starter = path.join(root, "examples", "starter");
  const sources =
    opts.example === "starter"
      ? (await listFiles(starter)).map((rel) => ({ rel, abs: path.join(starter, rel) }))
      : [
          ...(await Promise.all(REFERENCE.map((entry) => listFiles(root, entry))))
            .flat()
            .map((rel) => ({ rel, abs: path.join(root, rel) })),
          { rel: WORKFLOW, abs: path.join(starter, WORKFLOW) },
        ];
  const schemas = schemasFolder(opts.dir);
  const files: InitFile[] = [];
  for (const { rel, abs } of sources) {
    let content = await readFile(abs, "utf8");
    content = pointSchema(content, path.dirname(path.join(opts.dir, rel)), schemas);
    if (opts.example === "starter") content = content.replace(/(lastRotated: )\d{4}-\d{2}-\d{2}/g, `$1${opts.now}`);
    if (opts.org !== undefined && rel === "tollgate.yaml")
      content = content.replace(/^organization: .*$/m, `organization: ${orgScalar(opts.org)}`);
    if (opts.workflowRoot !== undefined && rel === WORKFLOW)
      content = content.replace(/^(\s+root: )\.$/m, `$1${JSON.stringify(opts.workflowRoot)}`);
    files.push({ path: rel, content });
  }
  files.push({ ...GITIGNORE });
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Where editors find the schemas from the adopter's files: the nearest node_modules/tollgate at or
 * above the target folder (where Node would resolve the package), else the target's own
 * node_modules/tollgate, which installing Tollgate there creates (README → "Adopt it").
 */
export function schemasFolder(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, "node_modules", "tollgate", "package.json")))
      return path.join(d, "node_modules", "tollgate", "schemas");
    if (path.dirname(d) === d) return path.join(dir, "node_modules", "tollgate", "schemas");
  }
}

/** Rewrites the `# yaml-language-server: $schema=` line to the same schema file under `schemas`. */
export function pointSchema(content: string, fileDir: string, schemas: string): string {
  return content.replace(
    SCHEMA_LINE,
    (_, prefix: string, current: string) =>
      `${prefix}${path
        .relative(fileDir, path.join(schemas, path.basename(current)))
        .split(path.sep)
        .join("/")}`,
  );
}

/** The organization as a YAML scalar: plain when that reads back the same, quoted otherwise. */
export function orgScalar(org: string): string {
  return YAML.stringify(org, { lineWidth: 0 }).trimEnd();
}

/** Files under `root/sub` (or `root`) as `/`-separated paths relative to `root`, dot folders included. */
async function listFiles(root: string, sub = ""): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const abs = path.join(root, rel);
    const entries = await readdir(abs, { withFileTypes: true }).catch(() => undefined);
    if (!entries) {
      out.push(rel.split(path.sep).join("/"));
      return;
    }
    for (const e of entries) await walk(path.join(rel, e.name));
  };
  await walk(sub);
  return out;
}
