/**
 * hcldec, HashiCorp's own command for decoding HCL (native or JSON syntax) against a spec, built
 * from the HCL v2 source Debian packages (golang-github-hashicorp-hcl-v2-dev): the parser and
 * type rules Terraform reads a configuration with, since Terraform itself is not in Debian.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { requireTool } from "./tools.js";

const GOPATH = "/usr/share/gocode";
const PACKAGE = "github.com/hashicorp/hcl/v2/cmd/hcldec";

/** Builds hcldec into `dir` (its build cache too, so nothing is written outside the test's folder). */
export function buildHcldec(dir: string): string {
  const go = requireTool("go");
  if (!existsSync(path.join(GOPATH, "src", PACKAGE)))
    throw new Error(
      `HCL v2's source is not installed: run 'apt-get install -y golang-github-hashicorp-hcl-v2-dev' (see .ci/run)`,
    );
  const bin = path.join(dir, "hcldec");
  const r = spawnSync(go, ["build", "-o", bin, PACKAGE], {
    cwd: dir,
    encoding: "utf8",
    timeout: 170_000,
    env: {
      ...process.env,
      GO111MODULE: "off",
      GOPATH,
      GOFLAGS: "",
      GOTOOLCHAIN: "local",
      GOCACHE: path.join(dir, "go-cache"),
      GOTMPDIR: dir,
      // Newer Go keeps telemetry and reads settings under the user's config folder.
      GOENV: "off",
      XDG_CONFIG_HOME: dir,
    },
  });
  if (r.status !== 0) throw new Error(`building hcldec failed:\n${r.stdout}${r.stderr}`);
  return bin;
}

/** Decodes `file` against `spec`: the decoded value, or HCL's diagnostics when it refuses. */
export function hcldec(bin: string, spec: string, file: string): { ok: boolean; value: any; errors: string } {
  const r = spawnSync(bin, ["--spec", spec, file], { encoding: "utf8", timeout: 60_000 });
  return r.status === 0
    ? { ok: true, value: JSON.parse(r.stdout), errors: "" }
    : { ok: false, value: undefined, errors: `${r.stdout}${r.stderr}` };
}
