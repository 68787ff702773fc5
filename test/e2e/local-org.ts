/**
 * Shared by the e2e suites that run the local fixture organization on real engines: a copy of the
 * organization pointed at this run's stand-in ports, child processes with their logs kept, and the
 * bounded waits for them. Only 127.0.0.1.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cp } from "node:fs/promises";
import path from "node:path";
import { REPO } from "../helpers/project.js";
import { waitFor } from "../helpers/wait.js";
import { editYaml } from "../helpers/yaml-edit.js";

export const getJson = async (url: string) => (await fetch(url)).json() as Promise<any>;

/**
 * Copies test/fixtures/orgs/local to dir/org and points its local environment at the stand-ins
 * (per-environment overrides only), Alertmanager on amPort and the PagerDuty key in dir.
 */
export async function prepareLocalOrg(
  dir: string,
  p: Record<string, number>,
  amPort: number,
  runtime: Record<string, unknown>,
): Promise<string> {
  const org = path.join(dir, "org");
  await cp(path.join(REPO, "test/fixtures/orgs/local"), org, { recursive: true });
  writeFileSync(path.join(dir, "pagerduty-key"), "e2e-routing-key\n");
  await editYaml(path.join(org, "manifests/services.yaml"), (doc) => {
    doc.setIn(["services", "api", "endpoints", "local", "url"], `http://127.0.0.1:${p.api}/health`);
    doc.setIn(["services", "payments", "endpoints", "local", "url"], `http://127.0.0.1:${p.payments}/health`);
    doc.setIn(
      ["services", "rag-mcp", "endpoints", "local"],
      doc.createNode({ url: `http://127.0.0.1:${p.rag}/mcp`, health: `http://127.0.0.1:${p.rag}/health` }),
    );
    doc.setIn(["services", "hook", "endpoints", "local", "url"], `http://127.0.0.1:${p.hook}/webhook`);
  });
  await editYaml(path.join(org, "manifests/environments.yaml"), (doc) => {
    doc.setIn(["environments", "local", "monitoring", "alertmanager"], `127.0.0.1:${amPort}`);
    doc.setIn(["environments", "local", "monitoring", "nodeExporter"], `127.0.0.1:${p.exporter}`);
    doc.setIn(["environments", "local", "runtime"], doc.createNode(runtime));
    doc.setIn(
      ["environments", "local", "channels", "pagerduty-oncall"],
      doc.createNode({
        url: `http://127.0.0.1:${p.pagerduty}/pagerduty`,
        credentialsFile: path.join(dir, "pagerduty-key"),
      }),
    );
    doc.setIn(
      ["environments", "local", "channels", "slack-platform"],
      doc.createNode({ url: `http://127.0.0.1:${p.slack}/slack` }),
    );
  });
  return org;
}

/** Child processes of one suite, each logging to dir/logs/NAME.log; stopped together at the end. */
export class Procs {
  readonly list: ChildProcess[] = [];
  constructor(private readonly dir: string) {
    mkdirSync(path.join(dir, "logs"), { recursive: true });
  }

  start(name: string, cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): ChildProcess {
    const log = createWriteStream(path.join(this.dir, "logs", `${name}.log`));
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"], ...(env ? { env } : {}) });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    this.list.push(child);
    return child;
  }

  /** Prometheus on the given config file (relative to cwd), its own storage, on 127.0.0.1:port. */
  prometheus(name: string, bin: string, configFile: string, cwd: string, port: number): ChildProcess {
    return this.start(
      name,
      bin,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${this.dir}/${name}-data`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      cwd,
    );
  }

  alertmanager(bin: string, cwd: string, port: number): ChildProcess {
    return this.start(
      "alertmanager",
      bin,
      [
        "--config.file=alertmanager.yml",
        `--storage.path=${this.dir}/am-data`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--cluster.listen-address=",
      ],
      cwd,
    );
  }

  async stopAll(): Promise<void> {
    for (const p of this.list) p.kill("SIGTERM");
    await Promise.all(
      this.list.map(
        (p) =>
          new Promise((r) => {
            if (p.exitCode !== null || p.signalCode !== null) r(null);
            else {
              const t = setTimeout(() => p.kill("SIGKILL"), 5_000);
              p.on("exit", () => {
                clearTimeout(t);
                r(null);
              });
            }
          }),
      ),
    );
  }

  /** The last lines of each named log, for a failed run. */
  tails(names: string[]): string {
    return names
      .map((f) => {
        try {
          return `--- ${f} (tail)\n${readFileSync(path.join(this.dir, "logs", `${f}.log`), "utf8")
            .split("\n")
            .slice(-15)
            .join("\n")}\n`;
        } catch {
          return "";
        }
      })
      .join("");
  }
}

export async function waitReady(what: string, url: string): Promise<void> {
  await waitFor(`${what} ready`, async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok, 60_000);
}
