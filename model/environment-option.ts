/** One way for every command to say that `--env` names no declared environment. */
import type { Diagnostic } from "./diagnostics.js";
import { didYouMean } from "../util/suggest.js";

export function unknownEnvironment(name: string, known: Iterable<string>, option = "--env"): Diagnostic {
  const list = [...known];
  const guess = didYouMean(name, list);
  return {
    code: "unknown-environment",
    severity: "error",
    message: `${option} ${name}: no such environment`,
    hint: `${guess ? `${guess} ` : ""}Environments: ${list.length ? list.join(", ") : "(none declared)"}`,
    file: "<command line>",
    line: 1,
    col: 1,
  };
}

/** The diagnostics for every name in `names` that `environments` does not declare. */
export function checkEnvironments(
  names: readonly (string | undefined)[],
  environments: ReadonlyMap<string, unknown>,
): Diagnostic[] {
  return names
    .filter((n): n is string => n !== undefined && !environments.has(n))
    .map((n) => unknownEnvironment(n, environments.keys()));
}
