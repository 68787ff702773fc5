/**
 * Cross-references: everything a manifest names must be declared, and dependsOn must be acyclic.
 * A service's own `secrets:` list is deliberately not checked here: "used but not declared" is a
 * policy finding (secret-undeclared) so it can be scored and waived like the other secret rules.
 */
import { SCHEDULE_HINT, probeIntervalMs, validateSchedule } from "../model/cron.js";
import { durationMs } from "../model/duration.js";
import type { EnvironmentT } from "../model/schema.js";
import type { DiagnosticCode } from "../model/diagnostics.js";
import type { Model } from "../model/model.js";
import { SECTION, type Section } from "../model/sections.js";
import type { Location, SourceMap } from "./source-map.js";
import { didYouMean } from "../util/suggest.js";

type Report = (
  code: DiagnosticCode,
  loc: Location,
  message: string,
  hint?: string,
  severity?: "error" | "warning",
) => void;

export function checkReferences(
  model: Model,
  declared: Record<Section, Set<string>>,
  sources: SourceMap,
  report: Report,
): void {
  const ref = (section: Section, name: string, path: (string | number)[], target: Section, value: string) => {
    if (declared[target].has(value)) return;
    const loc = sources.locate(section, name, path);
    if (!loc) return;
    report(
      "unresolved-reference",
      loc,
      `${SECTION[target].one} \`${value}\` is not declared`,
      didYouMean(value, declared[target]) ?? `Declare it under \`${target}:\` or fix the name.`,
    );
  };
  const envRef = (section: Section, name: string, path: (string | number)[], env: string) =>
    ref(section, name, path, "environments", env);

  for (const [name, s] of model.services) {
    s.dependsOn.forEach((d, i) => ref("services", name, ["dependsOn", i], "services", d));
    for (const env of Object.keys(s.endpoints)) envRef("services", name, ["endpoints", env], env);
    const mcp = s.healthCheck?.mcp;
    if (mcp?.smoke && mcp.requiredTools.length > 0 && !mcp.requiredTools.includes(mcp.smoke.tool)) {
      report(
        "unresolved-reference",
        sources.locate("services", name, ["healthCheck", "mcp", "smoke", "tool"])!,
        `smoke tool \`${mcp.smoke.tool}\` is not in requiredTools`,
        "List the smoke tool under requiredTools so its presence is checked first.",
      );
    }
    if (s.healthCheck?.mcp && s.kind !== "mcp") {
      report(
        "invalid-value",
        sources.locate("services", name, ["healthCheck", "mcp"])!,
        `only services of kind mcp take an mcp health check (this one is ${s.kind})`,
        "Change kind to mcp or remove healthCheck.mcp.",
      );
    }
  }
  for (const [name, s] of model.secrets) {
    ref("secrets", name, ["service"], "services", s.service);
    for (const env of Object.keys(s.environments)) envRef("secrets", name, ["environments", env], env);
  }
  for (const [name, a] of model.apis) {
    ref("apis", name, ["service"], "services", a.service);
    for (const env of Object.keys(a.client.metricsEndpoint ?? {}))
      envRef("apis", name, ["client", "metricsEndpoint", env], env);
  }
  for (const [name, w] of model.webhooks) {
    ref("webhooks", name, ["service"], "services", w.service);
    if (w.signature) ref("webhooks", name, ["signature", "secret"], "secrets", w.signature.secret);
    if (w.idempotency) ref("webhooks", name, ["idempotency", "store"], "services", w.idempotency.store);
  }
  for (const [name, c] of model.channels) if (c.secret) ref("channels", name, ["secret"], "secrets", c.secret);
  for (const [name, a] of model.alerts) {
    a.appliesTo?.services?.forEach((s, i) => ref("alerts", name, ["appliesTo", "services", i], "services", s));
  }
  for (const [name, e] of model.environments) {
    const problem = e.probe?.schedule ? validateSchedule(e.probe.schedule) : undefined;
    if (problem)
      report(
        "invalid-value",
        sources.locate("environments", name, ["probe", "schedule"])!,
        `probe.schedule cannot be deployed: ${problem}`,
        SCHEDULE_HINT,
      );
    const stale = staleAfterProblem(e);
    if (stale)
      report(
        "invalid-value",
        sources.locate("environments", name, ["probe", "staleAfter"])!,
        stale,
        "Give it at least one interval between runs; three (the default) rides out a slow or skipped run.",
      );
    for (const alert of Object.keys(e.alerts ?? {})) ref("environments", name, ["alerts", alert], "alerts", alert);
    for (const channel of Object.keys(e.channels ?? {}))
      ref("environments", name, ["channels", channel], "channels", channel);
  }
  if (declared.environments.size > 0 && ![...model.environments.values()].some((e) => e.production)) {
    const first = [...model.environments.keys()][0];
    if (first)
      report(
        "missing-field",
        sources.locate("environments", first)!,
        "no environment is marked `production: true`",
        "Mark the production environment so mirroring and paging rules know which one it is; without one, the production-readiness categories fail.",
        "warning",
      );
  }
  const prod = [...model.environments.entries()].filter(([, e]) => e.production);
  if (prod.length > 1) {
    for (const [name] of prod) {
      const others = prod.map(([n]) => n).filter((n) => n !== name);
      report(
        "invalid-value",
        sources.locate("environments", name, ["production"])!,
        "more than one environment is marked production",
        `Keep \`production: true\` on one environment (also set on ${others.map((o) => `\`${o}\``).join(", ")}).`,
      );
    }
  }
  findCycles(model, sources, report);
}

/** Reports each dependsOn cycle once, at the edge that closes it. */
function findCycles(model: Model, sources: SourceMap, report: Report): void {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (name: string) => {
    state.set(name, 1);
    stack.push(name);
    const deps = model.services.get(name)?.dependsOn ?? [];
    deps.forEach((dep, i) => {
      if (!model.services.has(dep)) return;
      const s = state.get(dep);
      if (s === 1) {
        const cycle = [...stack.slice(stack.indexOf(dep)), dep];
        report(
          "dependency-cycle",
          sources.locate("services", name, ["dependsOn", i])!,
          `dependsOn forms a cycle: ${cycle.join(" → ")}`,
          "Remove one edge of the cycle; probes and alert inhibition need a tree.",
        );
      } else if (s === undefined) visit(dep);
    });
    stack.pop();
    state.set(name, 2);
  };
  for (const name of model.services.keys()) if (!state.has(name)) visit(name);
}

/** probe.staleAfter shorter than one interval between runs would fire between healthy runs. */
function staleAfterProblem(e: EnvironmentT): string | undefined {
  const after = e.probe?.staleAfter;
  if (!after) return undefined;
  const interval = probeIntervalMs(e);
  return durationMs(after) < interval
    ? `probe.staleAfter (${after}) is shorter than one interval between probe runs (${interval / 1000} s): ProbeRunsStale would fire between healthy runs`
    : undefined;
}
