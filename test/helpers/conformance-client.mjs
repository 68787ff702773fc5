// The "client command" the MCP conformance CLI runs for a client scenario: one Tollgate probe of
// the scenario server's URL (the CLI appends it), exit 0 when the probe passed. The compiled
// probe (dist/) is used, as the CLI runs it.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist");
const { buildModel } = await import(pathToFileURL(path.join(dist, "model/build.js")).href);
const { runProbes } = await import(pathToFileURL(path.join(dist, "checks/probe/runner.js")).href);
const url = process.argv[process.argv.length - 1];
// tools_call's server has add_numbers: the smoke call exercises it.
const mcp =
  process.env.MCP_CONFORMANCE_SCENARIO === "tools_call"
    ? {
        transport: "streamable-http",
        requiredTools: ["add_numbers"],
        smoke: { tool: "add_numbers", arguments: { a: 2, b: 3 } },
      }
    : { transport: "streamable-http", requiredTools: [] };
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
process.exit(results[0].status === "healthy" ? 0 : 1);
