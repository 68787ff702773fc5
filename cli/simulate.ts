/**
 * `tollgate simulate --api NAME`: a loopback stand-in of that API's provider, enforcing the
 * provider limits the manifests declare and answering as the provider does, for tests and CI.
 */
import { providerSpec } from "../checks/simulate/from-manifest.js";
import { FLAVORS, type Flavor } from "../checks/simulate/flavors.js";
import { LOOPBACK, startSimulator } from "../checks/simulate/server.js";
import { loadProject } from "../load/loader.js";
import { closest } from "../util/suggest.js";
import { escapeTerminal } from "../util/terminal-escape.js";
import { EXIT_INPUT, EXIT_OK, UsageError, parseChoice, printDiagnostics } from "./common.js";
import { parseListen } from "./serve.js";

export interface SimulateOptions {
  root: string;
  api: string;
  listen: string;
  failureRate?: string;
  flavor?: string;
  latency?: string;
}

const log = (line: string) => process.stderr.write(`tollgate simulate: ${line}\n`);

export async function simulateCommand(o: SimulateOptions): Promise<number> {
  const { host, port } = parseListen(o.listen);
  if (!LOOPBACK.has(host))
    throw new UsageError(
      `--listen ${o.listen}: the simulator listens on loopback only`,
      "Use 127.0.0.1:PORT or [::1]:PORT.",
    );
  const failureRate = o.failureRate === undefined ? 0 : Number(o.failureRate);
  if (!(failureRate >= 0 && failureRate <= 1))
    throw new UsageError(`--failure-rate must be a number from 0 to 1 (got ${JSON.stringify(o.failureRate)})`);
  const latencyMs = o.latency === undefined ? 0 : Number(o.latency);
  if (!(Number.isInteger(latencyMs) && latencyMs >= 0 && latencyMs <= 60_000))
    throw new UsageError(`--latency must be whole milliseconds from 0 to 60000 (got ${JSON.stringify(o.latency)})`);
  const flavor = o.flavor === undefined ? undefined : parseChoice("--flavor", o.flavor, FLAVORS as readonly Flavor[]);
  const { project, diagnostics, ok } = await loadProject(o.root, {});
  if (!ok) {
    printDiagnostics(diagnostics);
    return EXIT_INPUT;
  }
  const api = project.model.apis.get(o.api);
  if (!api) {
    const names = [...project.model.apis.keys()].sort();
    const close = closest(o.api, names);
    throw new UsageError(
      `--api ${o.api}: no such API in the manifests`,
      close ? `Did you mean ${close}?` : `Declared: ${names.join(", ") || "none"}.`,
    );
  }
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  try {
    sim = await startSimulator({
      api: o.api,
      provider: providerSpec(api.provider),
      ...(flavor ? { flavor } : {}),
      failureRate,
      latencyMs,
      host,
      port,
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(`--listen ${o.listen}: ${err.code === "EADDRINUSE" ? "address already in use" : err.message}`);
  }
  // The address goes to standard output alone, so a script can read it (port 0 picks a free one).
  process.stdout.write(`${sim.url}\n`);
  log(
    `${escapeTerminal(o.api)} (${sim.flavor}) listening on ${sim.url}${failureRate ? `, failing ${failureRate * 100}% of requests` : ""}`,
  );
  return new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      process.off("SIGTERM", onTerm);
      process.off("SIGINT", onInt);
      void sim.close().then(() => {
        const s = sim.stats;
        log(
          `${signal}: ${s.received} requests, ${s.rateLimited} rate-limited, ${s.throttled} throttled, ${s.failed} failed, at most ${s.maxInFlight} in flight`,
        );
        resolve(EXIT_OK);
      });
    };
    const onTerm = () => stop("SIGTERM");
    const onInt = () => stop("SIGINT");
    process.on("SIGTERM", onTerm);
    process.on("SIGINT", onInt);
  });
}
