// The "client command" the MCP conformance CLI runs for a client scenario: one Tollgate probe of
// the scenario server's URL (the CLI appends it), exit 0 when the probe passed. The compiled
// probe (dist/) is used, as the CLI runs it.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist");
const { buildModel } = await import(pathToFileURL(path.join(dist, "model/build.js")).href);
const { runProbes } = await import(pathToFileURL(path.join(dist, "checks/probe/runner.js")).href);
const url = process.argv[process.argv.length - 1];
// What each scenario's server offers: the probe requires those tools and smoke-calls one, so the
// scenario sees a tools/call (its Mcp-Method and Mcp-Name headers in the 2026 era).
const SCENARIOS = {
  tools_call: { requiredTools: ["add_numbers"], smoke: { tool: "add_numbers", arguments: { a: 2, b: 3 } } },
  "http-standard-headers": {
    requiredTools: ["test_headers", "my-hyphenated-tool"],
    smoke: { tool: "test_headers", arguments: {} },
  },
};
const mcp = { transport: "streamable-http", requiredTools: [], ...SCENARIOS[process.env.MCP_CONFORMANCE_SCENARIO] };
const model = buildModel({
  environments: { local: { deployed: true } },
  services: {
    s: {
      kind: "mcp",
      owner: "t",
      tier: "high",
      endpoints: { local: { url } },
      healthCheck: { timeout: "20s", retries: 1, mcp },
    },
  },
});
const { results } = await runProbes(model, { env: "local", concurrency: 1, environment: {}, baseDelayMs: 10 });
process.stderr.write(`${JSON.stringify(results[0])}\n`);
// The suite names the revision it serves: the probe must have negotiated exactly that one.
const wanted = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION;
const revision = results[0].mcp?.revision;
if (wanted && revision !== wanted) process.stderr.write(`negotiated ${revision}, the scenario serves ${wanted}\n`);
process.exit(results[0].status === "healthy" && (!wanted || revision === wanted) ? 0 : 1);
