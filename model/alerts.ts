/**
 * Alert semantics shared by policies and synthesis: which services a rule covers, what a rule
 * looks like in one environment after overrides, and which channels receive a severity.
 */
import type { Model } from "./model.js";
import type { AlertT, ChannelT, ServiceT } from "./schema.js";

export function alertCovers(alert: AlertT, name: string, service: ServiceT): boolean {
  const a = alert.appliesTo;
  if (!a) return true;
  if (a.services && !a.services.includes(name)) return false;
  if (a.kinds && !a.kinds.includes(service.kind)) return false;
  if (a.optional === "exclude" && service.optional) return false;
  if (a.optional === "only" && !service.optional) return false;
  return true;
}

export function coveredServices(model: Model, alert: AlertT): string[] {
  return [...model.services].filter(([n, s]) => alertCovers(alert, n, s)).map(([n]) => n);
}

/** The rule as it applies in one environment, or undefined when switched off there. */
export function effectiveAlert(model: Model, name: string, env: string): AlertT | undefined {
  const base = model.alerts.get(name);
  if (!base) return undefined;
  const o = model.environments.get(env)?.alerts?.[name];
  if (!o) return base;
  if (o.enabled === false) return undefined;
  return {
    ...base,
    ...(o.threshold !== undefined ? { threshold: o.threshold } : {}),
    ...(o.for !== undefined ? { for: o.for } : {}),
    ...(o.severity !== undefined ? { severity: o.severity } : {}),
  };
}

export function channelEnabled(model: Model, name: string, env: string): boolean {
  return model.environments.get(env)?.channels?.[name]?.enabled !== false;
}

/** The channel as configured in one environment (URL and recipients may be overridden). */
export function effectiveChannel(model: Model, name: string, env: string): ChannelT | undefined {
  const c = model.channels.get(name);
  if (!c || !channelEnabled(model, name, env)) return undefined;
  const o = model.environments.get(env)?.channels?.[name];
  return {
    ...c,
    ...(o?.url ? { url: o.url } : {}),
    ...(o?.to ? { to: o.to } : {}),
    ...(o?.credentialsFile ? { credentialsFile: o.credentialsFile } : {}),
  };
}

export function receiversFor(model: Model, env: string, severity: string): [string, ChannelT][] {
  const out: [string, ChannelT][] = [];
  for (const name of model.channels.keys()) {
    const c = effectiveChannel(model, name, env);
    if (c && (c.severities as string[]).includes(severity)) out.push([name, c]);
  }
  return out;
}
