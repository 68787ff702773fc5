// The five checks, written for Stoplight Spectral, equivalent to Tollgate's policies
// secret-no-owner, secret-rotation-period, secret-rotation-overdue, secret-missing-in-production
// and webhook-timestamp-tolerance. The date is fixed so both tools judge the same day.
import { createRulesetFunction } from "@stoplight/spectral-core";
import { truthy } from "@stoplight/spectral-functions";

const NOW = process.env.BENCH_NOW ?? "2026-11-24";
const DAY = 86_400_000;
const addDays = (d, n) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const fn = (f) => createRulesetFunction({ input: null, options: null }, f);

const rotationPeriod = fn((secret, _o, ctx) => {
  const d = secret?.rotationDays;
  if (d === undefined) return [{ message: "no rotation period", path: [...ctx.path, "rotationDays"] }];
  if (!(Number.isInteger(d) && d >= 30 && d <= 365))
    return [{ message: `rotation period ${d} days is outside 30–365`, path: [...ctx.path, "rotationDays"] }];
  return [];
});
const overdue = fn((secret, _o, ctx) => {
  const out = [];
  if (!secret?.rotationDays) return out;
  for (const [env, p] of Object.entries(secret.environments ?? {})) {
    if (p?.lastRotated && addDays(String(p.lastRotated), secret.rotationDays) < NOW)
      out.push({ message: `rotation overdue in ${env}`, path: [...ctx.path, "environments", env, "lastRotated"] });
  }
  return out;
});
const missingInProduction = fn((secret, _o, ctx) =>
  secret?.requiredInProduction === true && !secret.environments?.production
    ? [{ message: "required in production but not present", path: [...ctx.path, "environments"] }]
    : [],
);
const UNIT = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const tolerance = fn((hook, _o, ctx) => {
  const m = /^(\d+)(ms|s|m|h|d|w)$/.exec(String(hook?.timestampTolerance ?? ""));
  if (!m) return [{ message: "no timestamp tolerance", path: ctx.path }];
  return Number(m[1]) * UNIT[m[2]] > 300
    ? [{ message: "timestamp tolerance above 300s", path: [...ctx.path, "timestampTolerance"] }]
    : [];
});

export default {
  rules: {
    "secret-no-owner": {
      given: "$.secrets[*]",
      severity: "error",
      message: "no owner",
      then: { field: "owner", function: truthy },
    },
    "secret-rotation-period": { given: "$.secrets[*]", severity: "error", then: { function: rotationPeriod } },
    "secret-rotation-overdue": { given: "$.secrets[*]", severity: "error", then: { function: overdue } },
    "secret-missing-in-production": {
      given: "$.secrets[*]",
      severity: "error",
      then: { function: missingInProduction },
    },
    "webhook-timestamp-tolerance": { given: "$.webhooks[*]", severity: "error", then: { function: tolerance } },
  },
};
