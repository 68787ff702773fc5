/**
 * The `tollgate` command line. Each command is imported lazily so `--version` and `validate`
 * never pay for cdktf or the MCP SDK.
 *
 * Over ~250 lines (Biome, 120 columns) on purpose: the command table: one declaration per command and option, each command's code imported lazily from its own file.
 */
import { Command, CommanderError, Option } from "commander";
import { formatDiagnostic } from "../model/diagnostics.js";
import { escapeTerminal } from "../util/terminal-escape.js";
import { commandLineDiagnostic, usageDiagnostic } from "../util/usage-error.js";
import { EXIT_INPUT, UsageError, collect, version } from "./common.js";
import { helpAfter } from "./help-text.js";

const rootOption = () =>
  new Option(
    "--root <dir>",
    "project root, the folder holding tollgate.yaml (default: the nearest one from the working directory up)",
  );
const nowOption = () => new Option("--now <date>", "evaluate as of this date, YYYY-MM-DD (default: today, UTC)");
const cacheOption = () =>
  new Option("--cache", "reuse the results and parsed manifests of earlier runs (content-addressed; off by default)");
const noCacheOption = () => new Option("--no-cache", "do not read or write the cache");
const cacheLocationOption = () =>
  new Option("--cache-location <dir>", "cache folder inside the project root (default: node_modules/.cache/tollgate)");

export function buildProgram(setCode: (code: number) => void): Command {
  const program = new Command("tollgate")
    .description("Typed integration manifests: policy checks, readiness score, cdktf synthesis and live probes.")
    .version(version(), "-v, --version")
    // Commander's own errors are printed by run() in the one diagnostic format, never as `error: ...`.
    .configureOutput({ outputError: () => undefined })
    .configureHelp({ showGlobalOptions: true })
    .option("-q, --quiet", "errors only: no progress, warnings or notes")
    .option("--verbose", "say what is being done (root, timings) on standard error")
    .option("--no-color", "no colour, whatever the terminal (NO_COLOR and FORCE_COLOR are honoured too)")
    .exitOverride();

  // Global options and the project root are settled once, before any command runs.
  program.hook("preAction", async (_program, command) => {
    const g = program.opts<{ quiet?: boolean; verbose?: boolean; color?: boolean }>();
    if (g.quiet && g.verbose) throw new UsageError("use either --quiet or --verbose, not both");
    const { applyGlobalOptions } = await import("./globals.js");
    await applyGlobalOptions(g, command);
  });

  program
    .command("init")
    .description(
      "start a project: tollgate.yaml, starter manifests, an empty waivers file and a CI workflow (never overwrites)",
    )
    .argument("[dir]", "folder to create the project in (created when missing)", ".")
    .addOption(new Option("--org <name>", "organization name written to tollgate.yaml"))
    .addOption(
      new Option("--example <name>", "starter (default) or reference: copy the bundled reference organization"),
    )
    .addOption(new Option("--now <date>", "the starter secret's lastRotated date, YYYY-MM-DD (default: today, UTC)"))
    .action(async (dir: string, o) => setCode(await (await import("./init.js")).initCommand(dir, o)));

  program
    .command("validate")
    .description("load and validate the manifests; report every problem as file:line:col code message")
    .addOption(rootOption())
    .addOption(nowOption())
    .addOption(new Option("--format <fmt[=file]>", "text or json, optionally to a file; repeatable").argParser(collect))
    .addOption(cacheOption())
    .addOption(noCacheOption())
    .addOption(cacheLocationOption())
    .action(async (o) => setCode(await (await import("./validate.js")).validateCommand(o)));

  program
    .command("check")
    .description(
      "run the policies, score readiness and gate CI (formats: text, json, sarif, junit, markdown, github, gitlab, prometheus, html, badge)",
    )
    .addOption(rootOption())
    .addOption(new Option("--env <name>", "evaluate one environment only"))
    .addOption(nowOption())
    .addOption(
      new Option("--format <fmt[=file]>", "output format, optionally to a file; repeatable").argParser(collect),
    )
    .addOption(new Option("--min-score <n>", "fail when the overall score is below n (0-100)"))
    .addOption(
      new Option(
        "--fail-on <level>",
        "fail on error, warning or never (default: tollgate.yaml gate.failOn, else error)",
      ),
    )
    .addOption(
      new Option(
        "--fail-on-new",
        "PR mode: fail when the change introduces findings; then only new findings and --max-drop gate, unless --fail-on/--min-score are given",
      ),
    )
    .addOption(new Option("--max-drop <n>", "PR mode: fail when the score drops more than n points"))
    .addOption(new Option("--base <git-ref>", "PR mode: compare with the manifests at this git ref"))
    .addOption(new Option("--baseline <file>", "PR mode: compare with a saved JSON report"))
    .option("--explain", "show, per category, the findings that decided it")
    .addOption(
      new Option(
        "--sort <order>",
        "order of the findings: file (grouped by file), impact (what fixing each gives the score) or deadline (nearest rotation date first)",
      ).default("file"),
    )
    .addOption(
      new Option(
        "--probe-results <file>",
        "live evidence from tollgate probe --format json: decides client-no-metrics, and colours the HTML report's graph",
      ),
    )
    .addOption(cacheOption())
    .addOption(noCacheOption())
    .addOption(cacheLocationOption())
    .action(async (o) => setCode(await (await import("./check.js")).checkCommand(o)));

  program
    .command("forecast")
    .description(
      "list rotations becoming due or overdue and waivers expiring in the next N days (or rotation/cost gauges for Prometheus)",
    )
    .addOption(rootOption())
    .addOption(nowOption())
    .addOption(new Option("--days <n>", "how many days ahead").default("30"))
    .addOption(new Option("--env <name>", "one environment only"))
    .addOption(new Option("--format <format>", "text, json or prometheus").default("text"))
    .addOption(new Option("--output <file>", "write to a file (atomically) instead of standard output"))
    .action(async (o) => setCode(await (await import("./forecast.js")).forecastCommand(o)));

  program
    .command("synth")
    .description("synthesize per-environment cron and monitoring config with CDK for Terraform (no cdktf CLI needed)")
    .addOption(rootOption())
    .addOption(new Option("--env <name>", "environment to synthesize; repeatable (default: all)").argParser(collect))
    .option("--all", "synthesize every environment")
    .addOption(new Option("--out <dir>", "output folder").default("cdktf.out"))
    .addOption(nowOption())
    .option("--hcl", "emit HCL (cdk.tf) instead of Terraform JSON")
    .option("--force", "synthesize production even when the readiness gate fails (needs --reason)")
    .addOption(new Option("--reason <text>", "why the gate is overridden; recorded in the stack"))
    .addOption(
      new Option(
        "--shards <n>",
        "probe through tollgate serve, split over N Prometheus configs (hashmod); overrides probe.shards",
      ),
    )
    .action(async (o) => setCode(await (await import("./synth.js")).synthCommand(o)));

  program
    .command("probe")
    .description("probe the live services of one environment (HTTP, deep MCP, webhook security); cron-friendly")
    .addOption(rootOption())
    .addOption(new Option("--env <name>", "environment to probe (default: the first deployed non-production one)"))
    .addOption(new Option("--service <name>", "probe only this service; repeatable").argParser(collect))
    .addOption(new Option("--format <format>", "text, json or prometheus (textfile collector)").default("text"))
    .addOption(new Option("--output <file>", "write to a file (atomically) instead of standard output"))
    .addOption(new Option("--concurrency <n>", "probes at once (default: environment's probe.concurrency, else 8)"))
    .addOption(
      new Option(
        "--timeout <duration>",
        "per-attempt timeout, e.g. 5s or 500ms; a plain number is milliseconds (default: the service's healthCheck.timeout)",
      ),
    )
    .addOption(
      new Option(
        "--deadline <duration>",
        "overall limit for the run, e.g. 45s; unfinished probes are reported as deadline (default: 80% of the probe schedule's interval)",
      ),
    )
    .addOption(new Option("--state <file>", "keep recent results here for flapping, success rate and percentiles"))
    .addOption(new Option("--window <n>", "results kept per service in the state file").default("20"))
    .option("--allow-production", "also send webhook-security probes to a production environment")
    .addOption(nowOption())
    .action(async (o) => setCode(await (await import("./probe.js")).probeCommand(o)));

  program
    .command("serve")
    .description(
      "run the probes as a Prometheus multi-target exporter: GET /probe?service=NAME, /metrics; SIGHUP reloads",
    )
    .addOption(rootOption())
    .addOption(
      new Option(
        "--env <name>",
        "environment whose endpoints are probed (default: the first deployed non-production one)",
      ),
    )
    .addOption(
      new Option("--listen <host:port>", "address to listen on; loopback unless another address is named").default(
        "127.0.0.1:9469",
      ),
    )
    .addOption(
      new Option(
        "--max-concurrent <n>",
        "probes at once; more requests wait for a slot within their scrape timeout, then get 503",
      ).default("100"),
    )
    .addOption(
      new Option(
        "--allow-debug",
        "answer /probe?service=NAME&debug=true with the probe's result and detail (secrets redacted); off by default, since a detail may quote a server's answer",
      ),
    )
    .action(async (o) => setCode(await (await import("./serve.js")).serveCommand(o)));

  program
    .command("simulate")
    .description(
      "serve a loopback stand-in of one API's provider that enforces the provider limits the manifests declare (for client tests and CI)",
    )
    .addOption(rootOption())
    .requiredOption("--api <name>", "the API (under apis:) whose provider to simulate")
    .addOption(
      new Option(
        "--listen <host:port>",
        "loopback address to listen on; port 0 picks a free one (printed on standard output)",
      ).default("127.0.0.1:0"),
    )
    .addOption(new Option("--failure-rate <x>", "share of admitted requests answered 503, from 0 to 1 (breaker tests)"))
    .addOption(
      new Option(
        "--flavor <name>",
        "answer as openai, shopify, google-analytics or generic (default: from the API's name)",
      ),
    )
    .addOption(
      new Option("--latency <ms>", "milliseconds each admitted request takes, so requests overlap (default 0)"),
    )
    .action(async (o) => setCode(await (await import("./simulate.js")).simulateCommand(o)));

  program
    .command("mcp-tools")
    .description(
      "list MCP servers' tools with the input-schema hashes to pin under healthCheck.mcp.toolSchemas, or --write the lock file",
    )
    .addOption(rootOption())
    .addOption(
      new Option("--env <name>", "environment whose endpoints to use (default: the first deployed non-production one)"),
    )
    .addOption(new Option("--service <name>", "only this MCP service; repeatable").argParser(collect))
    .addOption(
      new Option(
        "--write",
        "record the tools (schemas, annotations, descriptions) in mcp-tools.lock.yaml for drift classification",
      ),
    )
    .addOption(nowOption())
    .action(async (o) => setCode(await (await import("./mcp-tools.js")).mcpToolsCommand(o)));

  program
    .command("policies")
    .description("list the built-in policies and the project's custom policies (id, severity, category, title)")
    .addOption(rootOption())
    .addOption(new Option("--format <format>", "text or json").default("text"))
    .action(async (o) => setCode(await (await import("./policies.js")).policiesCommand(o)));

  for (const command of program.commands) command.addHelpText("after", helpAfter(command.name()));
  return program;
}

/** The subcommand named on the command line, for hints (`tollgate check --help`). */
const commandIn = (program: Command, argv: string[]): string | undefined =>
  argv.slice(2).find((a) => program.commands.some((c) => c.name() === a));

export async function run(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    const command = commandIn(program, argv);
    if (e instanceof CommanderError) {
      // --help and --version end with exit code 0 through the same path.
      if (e.exitCode === 0) return 0;
      process.stderr.write(`${formatDiagnostic(commanderDiagnostic(e, command))}\n`);
      return EXIT_INPUT;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`${formatDiagnostic(usageDiagnostic(e, command))}\n`);
      return EXIT_INPUT;
    }
    process.stderr.write(
      `tollgate: internal error: ${escapeTerminal((e as Error)?.message ?? String(e))}\n(this is a bug; please report it with the command you ran)\n`,
    );
    if (process.env.TOLLGATE_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
    return EXIT_INPUT;
  }
}

/** `error: unknown option '--formt'\n(Did you mean --format?)` → one diagnostic, the suggestion as its hint. */
function commanderDiagnostic(e: CommanderError, command: string | undefined) {
  // Commander printed the help because no command was named.
  if (e.code === "commander.help")
    return commandLineDiagnostic(
      "unknown-command",
      "no command given",
      "Name one of the commands listed above, such as tollgate check.",
    );
  const [first = "", ...rest] = e.message.replace(/^error: /, "").split("\n");
  const suggestion = /^\(Did you mean (.+)\?\)$/.exec(rest.join(" ").trim())?.[1];
  const help = `Run tollgate ${command ? `${command} ` : ""}--help for the ${e.code === "commander.unknownCommand" ? "commands" : "options"}.`;
  const hint = suggestion ? `did you mean \`${suggestion}\`? ${help}` : help;
  return commandLineDiagnostic(
    e.code === "commander.unknownCommand" ? "unknown-command" : "invalid-option",
    first,
    hint,
  );
}
