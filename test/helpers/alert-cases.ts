/**
 * Hand-written alert scenarios run in promtool's rule engine (Prometheus's own evaluator) against a
 * synthesized rules file. Each asks `count by (…) (ALERTS{alertstate="firing"})`, so nothing the
 * generator computes is the expectation.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";
import { requireTool, run } from "./tools.js";

export interface AlertCase {
  name: string;
  series: Record<string, string>;
  evalTime: string;
  alert: string;
  by: string;
  /** The label values of `by` that fire; empty = quiet. */
  firing: string[];
  interval?: string;
}

/** Runs one case beside `rules` (the test file is written there as `independent-<id>.test.yml`). */
export function runAlertCase(rules: string, c: AlertCase, id: string | number): { code: number; out: string } {
  const tests = {
    rule_files: [path.basename(rules)],
    evaluation_interval: c.interval ?? "1m",
    tests: [
      {
        interval: c.interval ?? "1m",
        input_series: Object.entries(c.series).map(([series, values]) => ({ series, values })),
        promql_expr_test: [
          {
            expr: `count by (${c.by}) (ALERTS{alertname="${c.alert}",alertstate="firing"})`,
            eval_time: c.evalTime,
            exp_samples: c.firing.map((v) => ({ labels: `{${c.by}="${v}"}`, value: 1 })),
          },
        ],
      },
    ],
  };
  const file = path.join(path.dirname(rules), `independent-${id}.test.yml`);
  writeFileSync(file, stringify(tests));
  return run(requireTool("promtool"), ["test", "rules", path.basename(file)], path.dirname(rules));
}
