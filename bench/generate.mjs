// Deterministic organization generator for benchmarks: services, secrets across environments,
// APIs, webhooks, alerts and channels, with a realistic share of problems. Same seed → same bytes.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { addDays, pad, rng } from "./seeded.mjs";

const HEADER = "# yaml-language-server: $schema=../../schemas/manifest.schema.json\n";

/**
 * Writes an organization of `services` services and `secrets` secrets to dir (replacing it).
 * Files hold at most `perFile` entries so they stay reviewable, as in a real repository.
 */
export function generate(
  dir,
  { services, secrets, seed = 1, now = "2026-11-24", perFile, policies, style = "realistic" } = {},
) {
  if (style === "realistic")
    return generateRealistic(dir, { services, secrets, seed, now, perFile: perFile ?? 400, policies });
  perFile ??= 1000;
  const rand = rng(seed);
  const pick = (p) => rand() < p;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, "manifests/services"), { recursive: true });
  mkdirSync(path.join(dir, "secrets-manifest"), { recursive: true });
  const cfg = ["organization: Generated", "manifests: [manifests, secrets-manifest]"];
  if (policies) {
    cfg.push("policies:");
    for (const id of policies.off ?? []) cfg.push(`  ${id}: off`);
  }
  writeFileSync(path.join(dir, "tollgate.yaml"), `${cfg.join("\n")}\n`);
  writeFileSync(
    path.join(dir, "manifests/environments.yaml"),
    `${HEADER}environments:\n  staging:\n    deployed: true\n  production:\n    production: true\n    deployed: true\n`,
  );

  const names = Array.from({ length: services }, (_, i) => `svc-${pad(i, 6)}`);
  const kinds = ["http-api", "mcp", "webhook", "infra"];
  const secretOf = Array.from({ length: services }, () => []);
  const secretLines = [];
  for (let i = 0; i < secrets; i++) {
    const svc = Math.floor((i * services) / secrets);
    const name = `SECRET_${pad(i, 6)}`;
    secretOf[svc].push(name);
    const rotation = [90, 180, 365][Math.floor(rand() * 3)];
    const required = pick(0.8);
    const staged = addDays(now, -Math.floor(rand() * (rotation + 30)) - 1); // ~8% overdue
    const lines = [`  ${name}:`, `    service: ${names[svc]}`];
    if (!pick(0.03)) lines.push("    owner: team-" + pad(svc % 50, 2));
    lines.push(`    purpose: Generated secret ${i} for load testing.`);
    lines.push(`    requiredInProduction: ${required}`);
    if (!pick(0.02)) lines.push(`    rotationDays: ${pick(0.02) ? 500 : rotation}`);
    lines.push(`    runbook: https://runbooks.generated.example/secrets/${i}`);
    lines.push(`    readers: [service/${names[svc]}]`);
    lines.push(`    verification: { check: "generated check ${i}" }`);
    lines.push("    environments:");
    lines.push(`      staging: { ref: "vault://kv/staging/${i}", lastRotated: ${staged} }`);
    if (!pick(0.05))
      lines.push(
        `      production: { ref: "vault://kv/production/${i}", lastRotated: ${addDays(staged, 1) > now ? staged : addDays(staged, 1)} }`,
      );
    secretLines.push(lines.join("\n"));
  }
  for (let f = 0; f * perFile < secrets; f++) {
    writeFileSync(
      path.join(dir, "secrets-manifest", `secrets-${pad(f, 4)}.yaml`),
      `${HEADER}secrets:\n${secretLines.slice(f * perFile, (f + 1) * perFile).join("\n\n")}\n`,
    );
  }

  const svcLines = names.map((name, i) => {
    const kind = kinds[i % 4];
    const deps = i > 10 && pick(0.3) ? `\n    dependsOn: [${names[Math.floor(rand() * (i - 1))]}]` : "";
    const mcp =
      kind === "mcp" ? "\n      mcp:\n        transport: streamable-http\n        requiredTools: [search]" : "";
    return `  ${name}:\n    kind: ${kind}\n    owner: team-${pad(i % 50, 2)}\n    tier: ${["critical", "high", "medium", "low"][i % 4]}${deps}\n    secrets: [${secretOf[i].join(", ")}]\n    endpoints:\n      staging: { url: "https://${name}.staging.generated.example/health" }\n      production: { url: "https://${name}.generated.example/health" }\n    healthCheck:\n      interval: 60s\n      timeout: 5s${mcp}`;
  });
  for (let f = 0; f * perFile < services; f++) {
    writeFileSync(
      path.join(dir, "manifests/services", `services-${pad(f, 4)}.yaml`),
      `${HEADER.replace("../../", "../../../")}services:\n${svcLines.slice(f * perFile, (f + 1) * perFile).join("\n")}\n`,
    );
  }

  const apiNames = names.filter((_, i) => i % 4 === 0).slice(0, Math.max(1, Math.floor(services / 20)));
  writeFileSync(
    path.join(dir, "manifests/apis.yaml"),
    `${HEADER}apis:\n${apiNames
      .map((n) => {
        const over = pick(0.1);
        return `  ${n}:\n    service: ${n}\n    provider:\n      model: sliding-window\n      requests: { limit: 100, per: 1m }\n    client:\n      budget:\n        requests: { limit: ${over ? 120 : 80}, per: 1m }\n${pick(0.7) ? "      retry: { maxAttempts: 3, backoff: exponential, jitter: full }\n" : ""}${pick(0.5) ? "      circuitBreaker: { failureThreshold: 5, reset: 30s }\n" : ""}      metrics: ${pick(0.5)}`;
      })
      .join("\n")}\n`,
  );

  const hooks = names.filter((_, i) => i % 4 === 2);
  writeFileSync(
    path.join(dir, "manifests/webhooks.yaml"),
    `${HEADER}webhooks:\n${hooks
      .map((n) => {
        const secret = secretOf[names.indexOf(n)][0];
        return `  ${n}:\n    service: ${n}\n${secret ? `    signature: { scheme: hmac-sha256, header: X-Signature, secret: ${secret} }\n` : ""}    timestampTolerance: ${pick(0.1) ? "10m" : "5m"}\n    idempotency: { store: ${names[3]}, keyHeader: X-Id, ttl: 24h }\n    rateLimits: { perSource: [{ limit: 10, per: 1s }] }\n    tls: { minVersion: "1.2" }\n    auditLog: { retentionDays: 90 }`;
      })
      .join("\n")}\n`,
  );

  writeFileSync(
    path.join(dir, "manifests/alerting.yaml"),
    `${HEADER}channels:\n  pager: { type: pagerduty, severities: [critical], credentialsFile: /etc/am/pd }\n  chat: { type: slack, severities: [warning], credentialsFile: /etc/am/slack }\nalerts:\n  ServiceDown: { condition: probe-failing, for: 2m, severity: critical }\n  LatencyHigh: { condition: latency-p95-above, threshold: 1500, for: 10m, severity: warning }\n  SuccessRateLow: { condition: success-rate-below, threshold: 0.95, for: 15m, severity: warning }\n  SecretRotationOverdue: { condition: secret-rotation-overdue, for: 1h, severity: critical }\n`,
  );
  return dir;
}

export { rng };
export { generateRealistic } from "./generate-realistic.mjs";
import { generateRealistic } from "./generate-realistic.mjs";
