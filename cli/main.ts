/**
 * The `tollgate` command line. Each command is imported lazily so `--version` and `validate`
 * never pay for cdktf or the MCP SDK.
 */
import { Command, CommanderError, Option } from "commander";
import { EXIT_INPUT, UsageError, collect, version } from "./common.js";

const rootOption = () => new Option("--root <dir>", "project root (holds tollgate.yaml)").default(".");
const nowOption = () => new Option("--now <date>", "evaluate as of this date, YYYY-MM-DD (default: today, UTC)");

export function buildProgram(setCode: (code: number) => void): Command {
  const program = new Command("tollgate")
    .description("Typed integration manifests: policy checks, readiness score, cdktf synthesis and live probes.")
    .version(version(), "-v, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();

  program
    .command("validate")
    .description("load and validate the manifests; report every problem as file:line:col code message")
    .addOption(rootOption())
    .addOption(nowOption())
    .addOption(new Option("--format <format>", "text or json").default("text"))
    .action(async (o) => setCode(await (await import("./validate.js")).validateCommand(o)));

  return program;
}

export async function run(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end with exit code 0 through the same path.
      return e.exitCode === 0 ? 0 : EXIT_INPUT;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`tollgate: ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ""}`);
      return EXIT_INPUT;
    }
    process.stderr.write(`tollgate: internal error: ${(e as Error)?.message ?? String(e)}\n(this is a bug; please report it with the command you ran)\n`);
    if (process.env.TOLLGATE_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
    return EXIT_INPUT;
  }
}
