/**
 * The package as an app gets it: `npm pack`, installed offline into an empty folder with nothing
 * else from Tollgate, and the README's examples run there verbatim against the simulators.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { ApiPolicy } from "@tollgate/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../../checks/simulate/server.js";
import { REPO, policiesOf } from "./helpers/policies.js";

const run = promisify(execFile);
const version = (name: string) =>
  (JSON.parse(readFileSync(path.join(REPO, "node_modules", name, "package.json"), "utf8")) as { version: string })
    .version;
/** The app's other dependencies, by the tarball URLs npm's cache holds (the repo installed the same versions). */
const tarball = (name: string) => `https://registry.npmjs.org/${name}/-/${name.split("/").at(-1)}-${version(name)}.tgz`;
const APP_DEPS = [
  "cockatiel",
  "openai",
  "prom-client",
  "tdigest",
  "bintrees",
  "@opentelemetry/api",
  "@shopify/admin-api-client",
  "@shopify/graphql-client",
];

/** The `// file: NAME` code blocks of the README's "Use the declared client in your app" section. */
function readmeExamples(): Map<string, string> {
  const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
  const section = readme.split("\n## Use the declared client in your app\n")[1]?.split("\n## ")[0] ?? "";
  const files = new Map<string, string>();
  for (const m of section.matchAll(/```js\n(\/\/ file: (\S+)\n[\s\S]*?)```/g))
    files.set(m[2] as string, m[1] as string);
  return files;
}

let app: string;
const sims: Simulator[] = [];
beforeAll(async () => {
  app = await mkdtemp(path.join(tmpdir(), "tollgate-client-app-"));
  const { stdout } = await run("npm", ["pack", "--offline", "--json", "--pack-destination", app], {
    cwd: path.join(REPO, "packages", "client"),
  });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  expect(packed?.files.map((f) => f.path)).toEqual(
    expect.arrayContaining(["dist/index.js", "dist/index.d.ts", "package.json", "README.md"]),
  );
  expect(packed?.files.some((f) => f.path.startsWith("src/") || f.path.startsWith("test/"))).toBe(false);
  await writeFile(path.join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  await run(
    "npm",
    [
      "install",
      "--offline",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      `./${packed?.filename}`,
      ...APP_DEPS.map(tarball),
    ],
    { cwd: app, timeout: 240_000 },
  );
}, 300_000);
afterAll(async () => {
  for (const s of sims) await s.close();
  if (app) await rm(app, { recursive: true, force: true });
});

describe("@tollgate/client from npm pack", () => {
  it("installs with nothing else from Tollgate (no cdktf, yaml, MCP SDK, commander)", async () => {
    const installed = await readdir(path.join(app, "node_modules"));
    for (const absent of ["tollgate", "cdktf", "yaml", "commander", "zod", "@modelcontextprotocol"])
      expect(installed).not.toContain(absent);
    const { stdout } = await run(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        'const m = await import("@tollgate/client"); console.log(Object.keys(m).sort().join(","))',
      ],
      { cwd: app },
    );
    expect(stdout).toContain("ApiError");
    expect(stdout).toContain("createApiFetch");
  });

  it("runs the README's OpenAI and Shopify examples verbatim: no 429 and no THROTTLED reach the app", async () => {
    const examples = readmeExamples();
    expect([...examples.keys()].sort()).toEqual(["openai-app.mjs", "shopify-app.mjs"]);
    for (const [name, code] of examples) await writeFile(path.join(app, name), code);
    const policies = await policiesOf();
    await writeFile(path.join(app, "client-policies.json"), JSON.stringify(policies));
    // DNS and TLS stand-in: the Admin API client always builds https://<store>; this routes it to the simulator.
    await writeFile(
      path.join(app, "store-on-loopback.mjs"),
      "const real = globalThis.fetch; const from = `https://${process.env.SHOPIFY_STORE_DOMAIN}`;\nglobalThis.fetch = (url, init) => real(String(url).startsWith(from) ? String(url).replace(from, process.env.SHOPIFY_SIMULATOR) : url, init);\n",
    );

    const openai = await startSimulator({ api: "openai", provider: (policies.apis.openai as ApiPolicy).provider });
    const shopify = await startSimulator({
      api: "shopify-admin",
      provider: (policies.apis["shopify-admin"] as ApiPolicy).provider,
    });
    sims.push(openai, shopify);
    const env = {
      ...process.env,
      OPENAI_API_KEY: "sk-simulated",
      OPENAI_BASE_URL: `${openai.url}/v1`,
      SHOPIFY_STORE_DOMAIN: "hotdash.myshopify.example",
      SHOPIFY_ADMIN_ACCESS_TOKEN: "shpat_simulated",
      SHOPIFY_SIMULATOR: shopify.url,
    };

    const o = await run(process.execPath, ["openai-app.mjs"], { cwd: app, env, timeout: 120_000 });
    expect(o.stdout).toContain("40 replies");
    expect(o.stdout).toContain('tollgate_client_requests_total{api="openai",status_class="2xx"} 40');
    expect(openai.stats.rateLimited).toBe(0);

    const s = await run(process.execPath, ["--import", "./store-on-loopback.mjs", "shopify-app.mjs"], {
      cwd: app,
      env,
      timeout: 120_000,
    });
    expect(s.stdout).toContain("25 pages, 0 throttled");
    expect(shopify.stats.admitted.length).toBe(25);
    expect(shopify.stats.throttled).toBe(0);
  });
});
