// The default benchmark estate (issue #27): the same organization as the plain generator (same
// kinds of entries and share of problems), written the way teams write YAML — folded and literal
// block scalars, multi-line plain and double-quoted scalars, escapes, flow collections on one line
// and across lines, indentless sequences, 2- and 4-space files, `---` starts, comments between and
// inside entries, a few anchors and aliases, quoted keys, non-ASCII text, and one large file beside
// many small ones. Same seed → same bytes.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { addDays, pad, rng } from "./seeded.mjs";

const WORDS = [
  "café",
  "Zürich",
  "São Paulo",
  "Ærøskøbing",
  "naïve",
  "façade",
  "Kraków",
  "東京",
  "Ελλάδα",
  "Málaga",
  "Genève",
  "Łódź",
];
/** At most this many aliases per anchor and file: yaml refuses more than 100 expansions. */
const ALIASES_PER_ANCHOR = 60;

export function generateRealistic(
  dir,
  { services, secrets, seed = 1, now = "2026-11-24", perFile = 400, policies } = {},
) {
  const rand = rng(seed);
  const pick = (p) => rand() < p;
  const word = () => WORDS[Math.floor(rand() * WORDS.length)];
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
    "# Three environments; production is the gate.\n---\nenvironments:\n    development:\n        deployed: true   # shared cluster\n    staging:\n        deployed: true\n    production:\n        production: true\n        deployed: true\n",
  );

  const names = Array.from({ length: services }, (_, i) => `svc-${pad(i, 6)}`);
  const kinds = ["http-api", "mcp", "webhook", "infra"];
  const secretOf = Array.from({ length: services }, () => []);

  // One large file (a sixth of the secrets, several MB at 50k) beside many small ones.
  const big = Math.min(secrets, Math.max(perFile, Math.round(secrets / 6)));
  const chunks = [[0, big]];
  for (let s = big; s < secrets; s += perFile) chunks.push([s, Math.min(secrets, s + perFile)]);
  chunks.forEach(([from, to], f) => {
    const u = f % 3 === 1 ? "    " : "  ";
    const [l1, l2, l3] = [u, u + u, u + u + u];
    const out = [`# Secrets ${from}–${to - 1}. Owned by the platform team; see the runbook.`];
    if (f % 2 === 0) out.push("---");
    out.push("secrets:");
    let runbookUses = 0;
    let verifyUses = 0;
    for (let i = from; i < to; i++) {
      const svc = Math.floor((i * services) / secrets);
      const name = `SECRET_${pad(i, 6)}`;
      secretOf[svc].push(name);
      const first = i === from;
      const rotation = [90, 180, 365][Math.floor(rand() * 3)];
      const required = pick(0.8);
      const staged = addDays(now, -Math.floor(rand() * (rotation + 30)) - 1); // ~8% overdue
      if (!first && pick(0.08))
        out.push(`${l1}# ${pick(0.5) ? "rotated by the platform team" : `migrated from ${word()}`}`);
      out.push(pick(0.04) ? `${l1}"${name}":` : `${l1}${name}:`);
      out.push(`${l2}service: ${names[svc]}${pick(0.05) ? "  # owning service" : ""}`);
      if (!pick(0.03))
        out.push(pick(0.1) ? `${l2}owner: 'team-${pad(svc % 50, 2)}'` : `${l2}owner: team-${pad(svc % 50, 2)}`);
      const r = rand();
      if (r < 0.35) out.push(`${l2}purpose: Generated secret ${i} for load testing.`);
      else if (r < 0.55)
        out.push(
          `${l2}purpose: >-`,
          `${l3}Generated secret ${i} signs the requests the billing`,
          `${l3}integration sends to ${word()}; rotate it with the partner.`,
        );
      else if (r < 0.65)
        out.push(
          `${l2}purpose: |`,
          `${l3}Secret ${i}, read at start-up.`,
          `${l3}Steps: rotate in the vault, then restart — see ${word()}.`,
        );
      else if (r < 0.75)
        out.push(`${l2}purpose: Generated secret ${i} for load`, `${l3}testing across the ${word()} region.`);
      else if (r < 0.85) out.push(`${l2}purpose: "Clé \\"primaire\\" n° ${i}\\tpour l'API de ${word()}\\u00e9"`);
      else if (r < 0.92) out.push(`${l2}purpose: "Generated secret ${i}, stored in`, `${l3}the vault of ${word()}."`);
      else out.push(`${l2}purpose: 'Secret ${i} for the team''s API in ${word()}'`);
      out.push(`${l2}requiredInProduction: ${required}`);
      if (!pick(0.02)) out.push(`${l2}rotationDays: ${pick(0.02) ? 500 : rotation}`);
      if (first) out.push(`${l2}runbook: &runbook https://runbooks.generated.example/secrets/shared`);
      else if (runbookUses < ALIASES_PER_ANCHOR && pick(0.05)) {
        runbookUses++;
        out.push(`${l2}runbook: *runbook`);
      } else out.push(`${l2}runbook: https://runbooks.generated.example/secrets/${i}`);
      const readers = [`service/${names[svc]}`, ...(pick(0.3) ? [`team/team-${pad(svc % 50, 2)}`] : [])];
      const rr = rand();
      if (rr < 0.6) out.push(`${l2}readers: [${readers.join(", ")}]`);
      else if (rr < 0.8) out.push(`${l2}readers:`, ...readers.map((x) => `${l2}- ${x}`));
      else out.push(`${l2}readers:`, ...readers.map((x) => `${l3}- ${x}`));
      const vr = rand();
      if (first)
        out.push(
          `${l2}verification: &verify`,
          `${l3}check: Call the partner's sandbox with the value`,
          `${l3}command: ./scripts/verify-secret.sh`,
        );
      else if (vr < 0.5) out.push(`${l2}verification: { check: "generated check ${i}" }`);
      else if (vr < 0.7)
        out.push(`${l2}verification: { check: "generated check ${i}",`, `${l3}command: "vault kv get kv/${i}" }`);
      else if (vr < 0.95 || verifyUses >= ALIASES_PER_ANCHOR)
        out.push(`${l2}verification:`, `${l3}check: generated check ${i}  # manual`);
      else {
        verifyUses++;
        out.push(`${l2}verification: *verify`);
      }
      out.push(`${l2}environments:`);
      const prodDate = addDays(staged, 1) > now ? staged : addDays(staged, 1);
      const envs = [
        ["staging", staged],
        ...(pick(0.95) ? [["production", prodDate]] : []),
        ...(pick(0.4) ? [["development", staged]] : []),
      ];
      for (const [env, date] of envs) {
        if (pick(0.6)) out.push(`${l3}${env}: { ref: "vault://kv/${env}/${i}", lastRotated: ${date} }`);
        else
          out.push(
            `${l3}${env}:`,
            `${l3}${u}ref: vault://kv/${env}/${i}`,
            `${l3}${u}lastRotated: ${date}${pick(0.2) ? "  # last drill" : ""}`,
          );
      }
      if (f % 4 !== 3) out.push("");
    }
    writeFileSync(path.join(dir, "secrets-manifest", `secrets-${pad(f, 4)}.yaml`), `${out.join("\n").trimEnd()}\n`);
  });

  for (let f = 0; f * perFile < services; f++) {
    const u = f % 2 === 1 ? "    " : "  ";
    const [l1, l2, l3] = [u, u + u, u + u + u];
    const out = ["# Services of this group.", "---", "services:"];
    for (let i = f * perFile; i < Math.min(services, (f + 1) * perFile); i++) {
      const name = names[i];
      const kind = kinds[i % 4];
      out.push(`${l1}${name}:`, `${l2}kind: ${kind}`);
      if (pick(0.3))
        out.push(
          `${l2}description: >-`,
          `${l3}Service ${i} answers the ${word()} partners;`,
          `${l3}owned by team ${i % 50}.`,
        );
      out.push(`${l2}owner: team-${pad(i % 50, 2)}`, `${l2}tier: ${["critical", "high", "medium", "low"][i % 4]}`);
      if (i > 10 && pick(0.3)) out.push(`${l2}dependsOn: [${names[Math.floor(rand() * (i - 1))]}]`);
      const own = secretOf[i];
      if (own.length > 0 && pick(0.3)) out.push(`${l2}secrets:`, ...own.map((s) => `${l2}- ${s}`));
      else if (own.length > 3)
        out.push(`${l2}secrets: [`, ...own.map((s, k) => `${l3}${s}${k < own.length - 1 ? "," : ""}`), `${l2}]`);
      else out.push(`${l2}secrets: [${own.join(", ")}]`);
      out.push(
        `${l2}endpoints:`,
        `${l3}staging: { url: "https://${name}.staging.generated.example/health" }`,
        `${l3}production: { url: "https://${name}.generated.example/health" }`,
      );
      out.push(`${l2}healthCheck:`, `${l3}interval: 60s`, `${l3}timeout: 5s`);
      if (kind === "mcp")
        out.push(`${l3}mcp:`, `${l3}${u}transport: streamable-http`, `${l3}${u}requiredTools:`, `${l3}${u}- search`);
    }
    writeFileSync(path.join(dir, "manifests/services", `services-${pad(f, 4)}.yaml`), `${out.join("\n")}\n`);
  }

  const apiNames = names.filter((_, i) => i % 4 === 0).slice(0, Math.max(1, Math.floor(services / 20)));
  writeFileSync(
    path.join(dir, "manifests/apis.yaml"),
    `# Rate limits as the providers document them.\napis:\n${apiNames
      .map((n) => {
        const over = pick(0.1);
        return `  ${n}:\n    service: ${n}\n    provider:\n      model: sliding-window\n      requests: { limit: 100, per: 1m }\n    client:\n      budget:\n        requests: {\n          limit: ${over ? 120 : 80},\n          per: 1m\n        }\n${pick(0.7) ? "      retry: { maxAttempts: 3, backoff: exponential, jitter: full }\n" : ""}${pick(0.5) ? "      circuitBreaker: { failureThreshold: 5, reset: 30s }\n" : ""}      metrics: ${pick(0.5)}`;
      })
      .join("\n")}\n`,
  );

  const hooks = names.filter((_, i) => i % 4 === 2);
  writeFileSync(
    path.join(dir, "manifests/webhooks.yaml"),
    `webhooks:\n${hooks
      .map((n) => {
        const secret = secretOf[names.indexOf(n)][0];
        return `  ${n}:\n    service: ${n}\n${secret ? `    signature: { scheme: hmac-sha256, header: "X-Signature", secret: ${secret} }\n` : ""}    timestampTolerance: ${pick(0.1) ? "10m" : "5m"}\n    idempotency: { store: ${names[3]}, keyHeader: X-Id, ttl: 24h }\n    rateLimits:\n      perSource:\n      - { limit: 10, per: 1s }\n    tls: { minVersion: "1.2" }\n    auditLog: { retentionDays: 90 }`;
      })
      .join("\n")}\n`,
  );

  writeFileSync(
    path.join(dir, "manifests/alerting.yaml"),
    "channels:\n  pager: { type: pagerduty, severities: [critical], credentialsFile: /etc/am/pd }\n  chat: { type: slack, severities: [warning], credentialsFile: /etc/am/slack }\nalerts:\n  ServiceDown: { condition: probe-failing, for: 2m, severity: critical }\n  LatencyHigh: { condition: latency-p95-above, threshold: 1500, for: 10m, severity: warning }\n  SuccessRateLow: { condition: success-rate-below, threshold: 0.95, for: 15m, severity: warning }\n  SecretRotationOverdue: { condition: secret-rotation-overdue, for: 1h, severity: critical }\n",
  );
  return dir;
}
