/**
 * `tollgate serve`: the probes as a Prometheus multi-target exporter. Loopback unless --listen
 * names another address; SIGHUP or POST /-/reload reloads the manifests; SIGTERM/SIGINT stop
 * accepting, let in-flight probes finish (bounded) and exit 0.
 */
import { isIP } from "node:net";
import { Exporter, describeFailure } from "../checks/serve/exporter.js";
import { createExporterServer } from "../checks/serve/http-server.js";
import { EXIT_INPUT, EXIT_OK, UsageError, parseIntOption } from "./common.js";
import { plural } from "../util/plural.js";

export interface ServeCliOptions {
  listen: string;
  root: string;
  env?: string;
  maxConcurrent?: string;
  allowDebug?: boolean;
}

export const DEFAULT_LISTEN = "127.0.0.1:9469";
export const DEFAULT_MAX_CONCURRENT = 100;
/** How long SIGTERM waits for in-flight probes before closing their connections. */
export const SHUTDOWN_GRACE_MS = 20_000;

/** HOST:PORT, [IPv6]:PORT or :PORT (all addresses only when written out: 0.0.0.0:PORT or [::]:PORT). */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(value);
  const host = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  if (!m || !host || !(port >= 0 && port <= 65535))
    throw new UsageError(
      `--listen must be HOST:PORT such as 127.0.0.1:9469 or [::1]:9469 (got ${JSON.stringify(value)})`,
    );
  if (m[1] !== undefined && isIP(host) !== 6)
    throw new UsageError(`--listen: ${JSON.stringify(host)} is not an IPv6 address`);
  return { host, port };
}

const log = (line: string) => process.stderr.write(`tollgate serve: ${line}\n`);

export async function serveCommand(o: ServeCliOptions): Promise<number> {
  const { host, port } = parseListen(o.listen);
  const maxConcurrent = parseIntOption("--max-concurrent", o.maxConcurrent, 1, 10_000) ?? DEFAULT_MAX_CONCURRENT;
  const exporter = new Exporter({
    root: o.root,
    ...(o.env ? { env: o.env } : {}),
    maxConcurrent,
    environment: process.env,
  });
  const first = await exporter.reload();
  if (!first.ok) {
    process.stderr.write(`${describeFailure(first)}\n`);
    return EXIT_INPUT;
  }
  const stopping = new AbortController();
  const reload = async (): Promise<string | undefined> => {
    const outcome = await exporter.reload();
    if (outcome.ok) {
      log(`reloaded: ${plural(outcome.config.services.size, "service")} in ${outcome.config.env}`);
      return undefined;
    }
    const text = describeFailure(outcome);
    log(`reload failed; still serving the previous manifests:\n${text}`);
    return text;
  };
  const { server, sockets } = createExporterServer(exporter, {
    reload,
    shutdown: stopping.signal,
    allowDebug: o.allowDebug === true,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(
      `--listen ${o.listen}: ${err.code === "EADDRINUSE" ? "address already in use" : err.code === "EADDRNOTAVAIL" ? "no such local address" : err.message}`,
    );
  }
  const address = server.address() as import("node:net").AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const cfg = exporter.config!;
  log(
    `listening on http://${shown}:${address.port} (env ${cfg.env}, ${plural(cfg.services.size, "service")}, --max-concurrent ${maxConcurrent})`,
  );

  return new Promise<number>((resolve) => {
    const onHup = () => {
      void reload();
    };
    const onStop = (signal: string) => {
      if (stopping.signal.aborted) return;
      stopping.abort();
      log(
        `${signal}: finishing ${exporter.limiter.inFlight} in-flight probe(s), at most ${SHUTDOWN_GRACE_MS / 1000} s`,
      );
      process.off("SIGHUP", onHup);
      // No new connections; idle keep-alive connections close now, busy ones after their answer.
      server.close(() => {
        clearTimeout(force);
        finish();
      });
      server.closeIdleConnections();
      const idle = setInterval(() => server.closeIdleConnections(), 100);
      const force = setTimeout(() => {
        for (const s of sockets) s.destroy();
        // Probes cut off here may still hold timers until their own deadline: do not wait for them.
        setTimeout(() => process.exit(EXIT_OK), 1_000).unref();
      }, SHUTDOWN_GRACE_MS);
      const finish = () => {
        clearInterval(idle);
        process.off("SIGTERM", onTerm);
        process.off("SIGINT", onInt);
        exporter.close();
        log("stopped");
        resolve(EXIT_OK);
      };
    };
    const onTerm = () => onStop("SIGTERM");
    const onInt = () => onStop("SIGINT");
    process.on("SIGHUP", onHup);
    process.on("SIGTERM", onTerm);
    process.on("SIGINT", onInt);
  });
}
