/**
 * Renders and writes each requested output on its own: a reporter that throws (a bug, or a
 * format that cannot hold the input) costs only its own output, as a `report-failed` diagnostic;
 * every other output is still written.
 */
import type { Diagnostic } from "../model/diagnostics.js";

export interface Rendered {
  /** Each target's text, in order; undefined where its reporter failed. */
  texts: (string | undefined)[];
  failures: Diagnostic[];
}

export async function renderEach<T extends { format: string; file?: string | undefined }>(
  targets: readonly T[],
  render: (target: T, index: number) => string | Promise<string>,
  write: (target: T, text: string) => Promise<void>,
): Promise<Rendered> {
  const texts: (string | undefined)[] = [];
  const failures: Diagnostic[] = [];
  for (const [i, target] of targets.entries()) {
    let text: string;
    try {
      text = await render(target, i);
    } catch (e) {
      texts.push(undefined);
      const why = String((e as Error)?.message ?? e)
        .split("\n")[0]!
        .slice(0, 300);
      failures.push({
        code: "report-failed",
        severity: "error",
        file: "<command line>",
        line: 1,
        col: 1,
        message: `--format ${target.format}${target.file ? `=${target.file}` : ""}: the reporter failed (${why}); the other outputs were written`,
        hint: "This is a bug in tollgate: please report it with the number of findings; meanwhile use another --format.",
      });
      continue;
    }
    await write(target, text);
    texts.push(text);
  }
  return { texts, failures };
}
