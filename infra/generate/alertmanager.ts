/**
 * Alertmanager routing by environment and severity, receivers that read credentials from files
 * (never inline values), inhibit rules (dependsOn, and an MCP tool alert over the same service's
 * probe-failing alert), and the routing expectations amtool checks.
 */
import { yamlText } from "./yaml-text.js";
import { coveredServices, effectiveAlert, effectiveChannel, receiversFor } from "../../model/alerts.js";
import type { ChannelT } from "../../model/schema.js";
import { servicesIn, type EnvContext } from "./context.js";
import { goTemplateLiteral } from "./encode.js";

export const NULL_RECEIVER = "tollgate-null";
const SEVERITIES = ["critical", "warning", "info"] as const;

/** Alertmanager renders `channel`, `to` and `from` as Go templates: manifest text is made literal (encode.ts). */
function receiver(name: string, c: ChannelT): Record<string, unknown> {
  switch (c.type) {
    case "pagerduty":
      return {
        name,
        pagerduty_configs: [
          {
            ...(c.credentialsFile ? { routing_key_file: c.credentialsFile } : {}),
            ...(c.url ? { url: c.url } : {}),
            send_resolved: true,
          },
        ],
      };
    case "slack":
      return {
        name,
        slack_configs: [
          {
            ...(c.url ? { api_url: c.url } : c.credentialsFile ? { api_url_file: c.credentialsFile } : {}),
            ...(c.slackChannel ? { channel: goTemplateLiteral(c.slackChannel) } : {}),
            send_resolved: true,
            title: "{{ .CommonLabels.alertname }} ({{ .CommonLabels.env }})",
            text: "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ end }}",
          },
        ],
      };
    case "email":
      return {
        name,
        email_configs: (c.to ?? []).map((to) => ({
          to: goTemplateLiteral(to),
          ...(c.from ? { from: goTemplateLiteral(c.from) } : {}),
          ...(c.smarthost ? { smarthost: c.smarthost } : {}),
          ...(c.credentialsFile && c.from ? { auth_username: c.from, auth_password_file: c.credentialsFile } : {}),
          send_resolved: true,
        })),
      };
    case "webhook":
      return {
        name,
        webhook_configs: [
          {
            ...(c.url ? { url: c.url } : c.credentialsFile ? { url_file: c.credentialsFile } : {}),
            send_resolved: true,
          },
        ],
      };
  }
}

const childrenCache = new WeakMap<object, Map<string, string[]>>();

/** Parent → direct children, built once per model (rebuilding it per parent was quadratic). */
function childrenOf(ctx: EnvContext): Map<string, string[]> {
  let children = childrenCache.get(ctx.model.services);
  if (!children) {
    children = new Map();
    for (const [n, s] of ctx.model.services)
      for (const p of s.dependsOn) (children.get(p) ?? children.set(p, []).get(p)!).push(n);
    childrenCache.set(ctx.model.services, children);
  }
  return children;
}

/**
 * Every service the probe skips when `name` is down: its children, and theirs through required
 * services only. An optional service never causes a skip (its children are probed anyway), so
 * nothing below it is silenced on its account.
 */
export function descendants(ctx: EnvContext, name: string): string[] {
  const children = childrenOf(ctx);
  const seen = new Set<string>();
  const walk = (n: string) => {
    for (const c of children.get(n) ?? []) {
      if (seen.has(c)) continue;
      seen.add(c);
      if (!ctx.model.services.get(c)?.optional) walk(c);
    }
  };
  walk(name);
  return [...seen].sort();
}

const RANK: Record<string, number> = { critical: 0, warning: 1, info: 2 };

/** Parent down → its skipped descendants' alerts are silenced (one page for the parent). */
function dependencyInhibitRules(ctx: EnvContext, down: string[]): Record<string, unknown>[] {
  const present = new Set(servicesIn(ctx));
  const rules: Record<string, unknown>[] = [];
  const children = childrenOf(ctx);
  for (const parent of [...present].sort()) {
    if (!children.has(parent) || ctx.model.services.get(parent)?.optional) continue;
    const kids = descendants(ctx, parent).filter((k) => present.has(k));
    if (kids.length === 0) continue;
    rules.push({
      source_matchers: [`alertname=~"${down.join("|")}"`, `env="${ctx.env}"`, `service="${parent}"`],
      target_matchers: [`env="${ctx.env}"`, `service=~"${kids.join("|")}"`],
      equal: ["env"],
    });
  }
  return rules;
}

/**
 * An MCP server whose tools fail also fails its probe, so the tool alert and the service-down
 * alert fire together for one fault. The tool alert says more, so it silences the probe-failing
 * alerts of the same service (equal: env, service) whose severity is not above its own: a
 * warning-level tool alert never swallows a page.
 */
function toolInhibitRules(ctx: EnvContext, down: string[]): Record<string, unknown>[] {
  const { model, env } = ctx;
  const present = new Set(servicesIn(ctx));
  const rules: Record<string, unknown>[] = [];
  for (const name of model.alerts.keys()) {
    const m = effectiveAlert(model, name, env);
    if (m?.condition !== "mcp-tool-failing") continue;
    const mcp = new Set(
      coveredServices(model, m).filter((s) => present.has(s) && model.services.get(s)!.kind === "mcp"),
    );
    const targets: string[] = [];
    const services = new Set<string>();
    for (const d of down) {
      const a = effectiveAlert(model, d, env)!;
      const both = coveredServices(model, a).filter((s) => mcp.has(s));
      if (both.length === 0 || RANK[a.severity]! < RANK[m.severity]!) continue;
      targets.push(d);
      for (const s of both) services.add(s);
    }
    if (targets.length === 0) continue;
    rules.push({
      source_matchers: [`alertname="${name}"`, `env="${env}"`],
      target_matchers: [
        `alertname=~"${targets.join("|")}"`,
        `env="${env}"`,
        `service=~"${[...services].sort().join("|")}"`,
      ],
      equal: ["env", "service"],
    });
  }
  return rules;
}

export function inhibitRules(ctx: EnvContext): Record<string, unknown>[] {
  const down = [...ctx.model.alerts.keys()].filter(
    (a) => effectiveAlert(ctx.model, a, ctx.env)?.condition === "probe-failing",
  );
  if (down.length === 0) return [];
  return [...dependencyInhibitRules(ctx, down), ...toolInhibitRules(ctx, down)];
}

export function alertmanagerConfig(ctx: EnvContext): string {
  const { model, env } = ctx;
  const routes: Record<string, unknown>[] = [];
  for (const sev of SEVERITIES)
    for (const [name] of receiversFor(model, env, sev))
      routes.push({ matchers: [`env="${env}"`, `severity="${sev}"`], receiver: name, continue: true });
  const receivers: Record<string, unknown>[] = [{ name: NULL_RECEIVER }];
  for (const name of model.channels.keys()) {
    const c = effectiveChannel(model, name, env);
    if (c) receivers.push(receiver(name, c));
  }
  const doc = {
    route: {
      receiver: NULL_RECEIVER,
      group_by: ["alertname", "env", "service"],
      group_wait: ctx.groupWait,
      group_interval: ctx.groupInterval,
      repeat_interval: ctx.repeatInterval,
      routes,
    },
    receivers,
    inhibit_rules: inhibitRules(ctx),
  };
  return `# Generated by tollgate synth for environment "${env}". Credentials are read from *_file paths at run time.\n${yamlText(doc)}`;
}

export interface RouteExpectation {
  labels: Record<string, string>;
  receivers: string[];
}

/** Each severity that some alert uses must reach exactly the channels declared for it. */
export function routeExpectations(ctx: EnvContext): RouteExpectation[] {
  // critical: the built-in staleness alert (and ReadinessScoreDropped's warning) exist in every environment.
  const used = new Set([
    "critical",
    "warning",
    ...[...ctx.model.alerts.keys()].map((a) => effectiveAlert(ctx.model, a, ctx.env)?.severity).filter(Boolean),
  ]);
  return SEVERITIES.filter((s) => used.has(s)).map((severity) => {
    const names = receiversFor(ctx.model, ctx.env, severity).map(([n]) => n);
    return {
      labels: { alertname: "TollgateRouteTest", env: ctx.env, severity },
      receivers: names.length ? names : [NULL_RECEIVER],
    };
  });
}

export function routeTestScript(ctx: EnvContext): string {
  const lines = [
    "#!/bin/sh",
    `# Generated by tollgate synth: checks that each severity in ${ctx.env} reaches its declared receivers.`,
    "set -eu",
    'cd "$(dirname "$0")"',
  ];
  for (const e of routeExpectations(ctx)) {
    const labels = Object.entries(e.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    lines.push(
      `amtool config routes test --config.file=alertmanager.yml --verify.receivers=${e.receivers.join(",")} ${labels}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
