/**
 * Package hygiene that an adopter sees before running anything: package.json's links derive from
 * util/project-url.ts, the LICENSE is the license package.json names, installs do not build, the
 * typings come first in `exports`, and the schema ids and SARIF links use the same project URL.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { jsonSchemaFor, SCHEMA_FILES } from "../../tools/json-schema.js";
import { renderSarif } from "../../report/sarif.js";
import { evaluate } from "../../policies/engine.js";
import { loadProject } from "../../load/loader.js";
import { PROJECT_URL, docsUrl } from "../../util/project-url.js";
import { REPO } from "../helpers/project.js";

const pkg = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as Record<string, any>;

describe("package.json", () => {
  it("repository, homepage and bugs derive from PROJECT_URL", () => {
    expect(pkg.repository).toEqual({ type: "git", url: `git+${PROJECT_URL}.git` });
    expect(pkg.homepage).toBe(`${PROJECT_URL}#readme`);
    expect(pkg.bugs).toEqual({ url: `${PROJECT_URL}/issues` });
  });

  it("ships the Apache-2.0 text it declares", () => {
    expect(pkg.license).toBe("Apache-2.0");
    const license = readFileSync(path.join(REPO, "LICENSE"), "utf8");
    expect(license).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(license).toContain("END OF TERMS AND CONDITIONS");
    expect(pkg.files).toContain("LICENSE");
  });

  it("builds when packed or installed from a git tag (prepare), never on a tarball install, and ships dist, examples and the reference organization", () => {
    // npm runs `prepare` for `npm pack` and for a git dependency (README: the install is a git tag), never for a tarball.
    expect(pkg.scripts.prepare).toBe("npm run build");
    expect(pkg.scripts.prepack).toBeUndefined();
    expect(pkg.scripts.install).toBeUndefined();
    expect(pkg.scripts.postinstall).toBeUndefined();
    expect(pkg.scripts.test).toMatch(/^npm run build && /);
    for (const entry of [
      "dist",
      "bin",
      "schemas",
      "examples",
      "manifests",
      "secrets-manifest",
      "tollgate.yaml",
      "waivers.yaml",
    ])
      expect(pkg.files).toContain(entry);
  });

  it("exports typings first, and the JSON Schemas", () => {
    expect(Object.keys(pkg.exports["."])).toEqual(["types", "default"]);
    expect(pkg.exports["."].types).toBe("./dist/index.d.ts");
    expect(pkg.types).toBe(pkg.exports["."].types);
    expect(pkg.exports["./schemas/*.json"]).toBe("./schemas/*.json");
  });
});

describe("links derived from PROJECT_URL", () => {
  it("each JSON Schema's $id is its file in the project", () => {
    for (const name of Object.keys(SCHEMA_FILES) as (keyof typeof SCHEMA_FILES)[]) {
      const raw = PROJECT_URL.replace("https://github.com/", "https://raw.githubusercontent.com/");
      expect(jsonSchemaFor(name).$id).toBe(`${raw}/main/schemas/${name}`);
    }
  });

  it("SARIF names the project and links each built-in rule to its documentation", async () => {
    const { project } = await loadProject(path.join(REPO, "examples", "starter"), { now: "2026-11-24" });
    const { report } = await evaluate(project);
    const driver = JSON.parse(renderSarif(report)).runs[0].tool.driver;
    expect(driver.informationUri).toBe(PROJECT_URL);
    const rule = driver.rules.find((r: { id: string }) => r.id === "secret-missing-in-production");
    expect(rule.helpUri).toBe(docsUrl("policies.md", "secret-missing-in-production"));
    expect(rule.helpUri).toBe(
      `${PROJECT_URL}/blob/v${JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")).version}/docs/policies.md#secret-missing-in-production`,
    );
  });
});
