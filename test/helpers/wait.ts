/** Bounded waiting for the e2e suites: every wait has a generous limit and says what never happened. */
import net from "node:net";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A port nothing listens on right now, for a real server the test starts on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 120_000,
  everyMs = 250,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as T;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await sleep(everyMs);
  }
}

/** Rule-group evaluations a Prometheus has completed (its own counter), and how many groups it runs. */
async function ruleEvaluations(promUrl: string): Promise<{ total: number; groups: number }> {
  const lines = (await (await fetch(`${promUrl}/metrics`)).text())
    .split("\n")
    .filter((l) => l.startsWith("prometheus_rule_group_iterations_total{"));
  return { total: lines.reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(" ") + 1)), 0), groups: lines.length };
}

/**
 * "Nothing fired" proven by what did happen instead of a sleep: returns once every Prometheus has
 * evaluated each of its rule groups at least `rounds` more times than when called.
 */
export async function afterRuleEvaluations(promUrls: readonly string[], rounds = 2): Promise<void> {
  const before = await Promise.all(promUrls.map(ruleEvaluations));
  await waitFor(`${rounds} more rule evaluations on ${promUrls.length} Prometheus server(s)`, async () => {
    const now = await Promise.all(promUrls.map(ruleEvaluations));
    return now.every((n, i) => n.groups > 0 && n.total >= before[i]!.total + rounds * n.groups);
  });
}
