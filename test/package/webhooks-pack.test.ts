/**
 * @tollgate/webhooks as an adopter installs it: `npm pack` gives a tarball with the compiled code,
 * typings and README; unpacked into a bare node_modules it imports and verifies a delivery, and
 * it imports nothing but Node's built-ins (no cdktf, yaml, MCP SDK, commander or the CLI).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { REPO } from "../helpers/project.js";

const dir = mkdtempSync(path.join(tmpdir(), "tollgate-webhooks-pack-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PKG = path.join(REPO, "packages", "webhooks");

it("packs, unpacks into a bare node_modules and verifies a delivery without the rest of Tollgate", () => {
  // --ignore-scripts: the build already ran (npm run build); prepack would rebuild the same files.
  const out = execFileSync("npm", ["pack", "--json", "--offline", "--ignore-scripts", "--pack-destination", dir], {
    cwd: PKG,
    encoding: "utf8",
  });
  const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  const files = info!.files.map((f) => f.path).sort();
  expect(files).toEqual(
    expect.arrayContaining([
      "README.md",
      "package.json",
      "dist/index.js",
      "dist/index.d.ts",
      "dist/verifier.js",
      "dist/profiles.js",
    ]),
  );
  expect(files.filter((f) => !f.startsWith("dist/") && f !== "README.md" && f !== "package.json")).toEqual([]);

  const app = path.join(dir, "app");
  const target = path.join(app, "node_modules", "@tollgate", "webhooks");
  mkdirSync(target, { recursive: true });
  execFileSync("tar", ["-xzf", path.join(dir, info!.filename), "-C", target, "--strip-components=1"]);
  const manifest = JSON.parse(readFileSync(path.join(target, "package.json"), "utf8"));
  expect(Object.keys(manifest.dependencies ?? {})).toEqual([]);
  expect(manifest.peerDependenciesMeta.ioredis.optional).toBe(true);

  // Every import in the shipped code is a Node built-in or the package's own file.
  for (const f of readdirSync(path.join(target, "dist")).filter((f) => f.endsWith(".js"))) {
    for (const m of readFileSync(path.join(target, "dist", f), "utf8").matchAll(/from\s+"([^"]+)"/g))
      expect(m[1]).toMatch(/^(node:|\.\/)/);
  }
  writeFileSync(
    path.join(app, "check.mjs"),
    `
    import { createVerifier, memoryStore, signedHeaders, PROFILES } from "@tollgate/webhooks";
    const v = createVerifier({ name: "x", declaration: { signature: { scheme: "github" } }, secret: "s3", store: memoryStore(), audit: false });
    const body = '{"zen":"ok"}';
    const headers = Object.fromEntries(Object.entries({ ...signedHeaders(PROFILES.github, ["s3"], { body, id: "d1" }) }).map(([k, x]) => [k.toLowerCase(), x]));
    const a = await v.verify({ rawBody: body, headers });
    const b = await v.verify({ rawBody: body + " ", headers });
    console.log(JSON.stringify([a.ok, b.ok]));
  `,
  );
  expect(execFileSync(process.execPath, ["check.mjs"], { cwd: app, encoding: "utf8" }).trim()).toBe("[true,false]");
});
