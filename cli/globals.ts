/**
 * The program-wide options (--quiet, --verbose, --no-color) and the project root, applied before
 * a command runs: verbosity to util/progress.ts, colour to cli/common.ts, --root found by walking up.
 */
import type { Command } from "commander";
import { setVerbosity } from "../util/progress.js";
import { escapeTerminal } from "../util/terminal-escape.js";
import { setColorOverride } from "./common.js";
import { findProjectRoot, resolveRoot } from "./find-root.js";

export interface GlobalOptions {
  quiet?: boolean;
  verbose?: boolean;
  /** false with --no-color. */
  color?: boolean;
}

export async function applyGlobalOptions(g: GlobalOptions, command: Command): Promise<void> {
  setVerbosity(g.quiet ? "quiet" : g.verbose ? "verbose" : "normal");
  if (g.color === false) setColorOverride(false);
  if (!command.options.some((o) => o.long === "--root")) return;
  const given = command.getOptionValue("root") as string | undefined;
  // `policies` works anywhere: without a project it lists the built-ins only.
  const root =
    command.name() === "policies" && given === undefined
      ? await findProjectRoot(process.cwd())
      : await resolveRoot(given);
  command.setOptionValue("root", root);
  if (g.verbose && root !== undefined)
    process.stderr.write(
      `tollgate: project root ${escapeTerminal(root)}${given === undefined ? " (found from the working directory)" : ""}\n`,
    );
}
