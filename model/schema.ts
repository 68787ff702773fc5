/**
 * The manifest model. zod is the one source of truth: the TypeScript types, the loader's
 * validation and the committed JSON Schema (schemas/*.schema.json) all come from here.
 *
 * Every manifest file is a mapping of one or more sections (`environments`, `services`,
 * `secrets`, `apis`, `webhooks`, `channels`, `alerts`); each section maps names to entries, so
 * names are unique within a file by construction and a PR diff shows one entry per block.
 *
 * Longer than the ~250-line rule on purpose: the whole manifest shape in one place, read top to
 * bottom as the docs' field tables are; split by section, every cross-reference would cross files.
 */
import { z } from "zod";
import { PROFILE_SCHEMES } from "@tollgate/webhooks";
import { DURATION_PATTERN, durationMs } from "./duration.js";
import { looksLikeSecretValue } from "./secret-shape.js";
import { absolutePath, oneLine as singleLine, urlText } from "./output-grammar.js";

const describe = <T extends z.ZodType>(schema: T, description: string): T => schema.describe(description) as T;

export const SERVICE_NAME = "^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$";
export const SECRET_NAME = "^[A-Z][A-Z0-9_]{0,127}$";
export const ENV_NAME = "^[a-z][a-z0-9-]{0,31}$";
export const ALERT_NAME = "^[A-Za-z][A-Za-z0-9_-]{0,127}$";

export const serviceName = z.string().regex(new RegExp(SERVICE_NAME));
export const secretName = z.string().regex(new RegExp(SECRET_NAME));
export const envName = z.string().regex(new RegExp(ENV_NAME));
export const alertName = z.string().regex(new RegExp(ALERT_NAME));
const duration = describe(
  z.string().regex(new RegExp(DURATION_PATTERN)),
  "A duration such as 500ms, 30s, 5m, 24h, 90d, or compound, largest unit first: 1m30s, 1h30m.",
);
/**
 * Durations that become timers. Node fires a timer over 2^31-1 ms (24.8 days) after 1 ms, so
 * `timeout: 25d` would time out at once: refused at validation (`duration-too-long`).
 */
const timerDuration = (maxMs: number, what: string, hint: string) =>
  duration.superRefine((v, ctx) => {
    if (new RegExp(DURATION_PATTERN).test(v) && durationMs(v) > maxMs) {
      ctx.addIssue({
        code: "custom",
        message: `${v} is longer than ${what}`,
        params: { diagnostic: "duration-too-long", hint },
        input: v,
      });
    }
  });
/** A probe's per-attempt timeout: at most 10 minutes (the limit of `--timeout` too). */
const probeTimeout = timerDuration(
  600_000,
  "a probe timeout may be (10m)",
  "Use at most 10m; a probe waits this long per attempt (the whole run is bounded by tollgate probe --deadline).",
);
/** Delays that clients turn into timers. */
const delay = timerDuration(
  2_147_483_647,
  "a timer can hold (24d)",
  "Use at most 24d: longer timers overflow and fire at once.",
);
/** A regular expression as the probe compiles it (`new RegExp(text)`). */
const regex = z
  .string()
  .min(1)
  .max(500)
  .superRefine((v, ctx) => {
    try {
      new RegExp(v);
    } catch (e) {
      ctx.addIssue({
        code: "custom",
        message: `not a valid regular expression (${(e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "")})`,
        params: {
          diagnostic: "invalid-regex",
          hint: "Write a JavaScript regular expression; escape a literal ( [ { . * + ? with a backslash.",
        },
        input: v,
      });
    }
  });
const date = describe(z.iso.date(), "A calendar date, YYYY-MM-DD (UTC).");
/**
 * Values written into one line of a generated file (a crontab line, a URL or path in Alertmanager
 * or Kubernetes config) refuse control characters (`control-character`), URLs a bare % too
 * (`invalid-url`): model/output-grammar.ts says why per file.
 */
const url = urlText(z.string().min(1).max(2048));
const text = z.string().min(1).max(4000);
const positive = z.number().positive();
const count = z.number().int().nonnegative();
/** host:port as Prometheus, Alertmanager and Kubernetes read it: a DNS name, IPv4 or [IPv6], and a port 1-65535. */
export const HOST_PORT =
  "^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]{2,45}\\]):(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$";
const hostPort = z
  .string()
  .max(300)
  .regex(new RegExp(HOST_PORT), "must be host:port (a DNS name, IPv4 or [IPv6], and a port from 1 to 65535)");
/** Longest exporter scrape interval: longer ones leave gaps past Prometheus' 5m lookback, so series go stale between scrapes. */
export const MAX_SCRAPE_INTERVAL_MS = 120_000;
const envVar = describe(
  z.string().regex(/^[A-Z_][A-Z0-9_]*$/),
  "The name of an environment variable (never its value).",
);

// ---------------------------------------------------------------- environments

export const MonitoringOverrides = z.strictObject({
  scrapeInterval: duration.optional(),
  evaluationInterval: duration.optional(),
  groupWait: duration.optional(),
  groupInterval: duration.optional(),
  repeatInterval: duration.optional(),
  alertmanager: describe(hostPort.optional(), "host:port of Alertmanager (default localhost:9093)."),
  nodeExporter: describe(
    hostPort.optional(),
    "host:port of the node_exporter serving the probe textfile (default localhost:9100).",
  ),
  blackboxExporter: describe(hostPort.optional(), "host:port of blackbox_exporter (default localhost:9115)."),
});

export const Environment = z.strictObject({
  description: text.optional(),
  production: describe(
    z.boolean().default(false),
    "This environment is production (mirroring and paging rules apply).",
  ),
  deployed: describe(z.boolean(), "The environment's infrastructure exists and serves traffic."),
  probe: z
    .strictObject({
      schedule: describe(
        singleLine(z.string().min(1).max(200)).optional(),
        "Cron schedule of the probe job; defaults to every minute.",
      ),
      timeout: probeTimeout.optional(),
      concurrency: z.number().int().min(1).max(1000).optional(),
      staleAfter: describe(
        duration.optional(),
        "How long without a completed probe run before the built-in `ProbeRunsStale` alert fires (default: three periods of `schedule`, or three scrape intervals on the exporter path; at least one).",
      ),
      exporter: describe(
        z
          .strictObject({
            address: describe(
              hostPort.optional(),
              "host:port where Prometheus reaches `tollgate serve` (default 127.0.0.1:9469).",
            ),
            scrapeInterval: describe(
              duration
                .refine(
                  (v) => !new RegExp(DURATION_PATTERN).test(v) || durationMs(v) <= MAX_SCRAPE_INTERVAL_MS,
                  "must be at most 2m: longer scrape intervals make the probe series go stale between scrapes (Prometheus looks back 5m)",
                )
                .optional(),
              "How often Prometheus probes each service through the exporter (default: the period of `schedule`, at most 2m).",
            ),
          })
          .optional(),
        "Probe through the `tollgate serve` exporter, scraped by Prometheus, instead of the cron probe job (docs/probes.md).",
      ),
      shards: describe(
        z.number().int().min(1).max(256).optional(),
        "Prometheus servers that split this environment's exporter targets (hashmod); implies the exporter. `synth --shards` overrides it.",
      ),
    })
    .optional(),
  monitoring: MonitoringOverrides.optional(),
  runtime: describe(
    z
      .strictObject({
        workdir: absolutePath(z.string().min(1).max(500)).optional(),
        textfileDir: absolutePath(z.string().min(1).max(500)).optional(),
        stateDir: absolutePath(z.string().min(1).max(500)).optional(),
        image: describe(
          singleLine(z.string().min(1).max(500)).optional(),
          "Container image of the CronJobs and the exporter Deployment (default ghcr.io/tollgate/tollgate:<version>, built from the repository's Dockerfile; docs/synth.md).",
        ),
        namespace: z
          .string()
          .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/)
          .optional(),
        command: describe(
          z
            .array(singleLine(z.string().min(1).max(500)))
            .min(1)
            .optional(),
          "How cron invokes tollgate (default: [tollgate]).",
        ),
      })
      .optional(),
    "Where the generated cron jobs run: working directory with the manifests, node_exporter textfile folder, image.",
  ),
  /** Names of alert rules switched off here, or per-alert threshold/for/severity changes. */
  alerts: z
    .record(
      z.string().regex(new RegExp(ALERT_NAME)),
      z.strictObject({
        enabled: z.boolean().optional(),
        threshold: z.number().optional(),
        for: duration.optional(),
        severity: z.enum(["critical", "warning", "info"]).optional(),
      }),
    )
    .optional(),
  /** Per-environment receiver changes (e.g. a local sink URL in a test environment). */
  channels: z
    .record(
      serviceName,
      z.strictObject({
        enabled: z.boolean().optional(),
        url: url.optional(),
        to: z.array(singleLine(z.string().min(3).max(320))).optional(),
        credentialsFile: singleLine(z.string().min(1).max(500)).optional(),
      }),
    )
    .optional(),
});

// ---------------------------------------------------------------- services

export const HttpExpect = z.strictObject({
  status: z.union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599)).min(1)]).optional(),
  maxLatencyMs: positive.optional(),
  json: z
    .array(
      z.strictObject({
        path: z.string().min(1).max(200),
        equals: z.union([z.string(), z.number(), z.boolean(), z.null()]),
      }),
    )
    .optional(),
  bodyMatches: regex.optional(),
});

export const McpCheck = z.strictObject({
  transport: describe(
    z.enum(["streamable-http", "stdio", "sse"]),
    "sse is the legacy HTTP+SSE transport (2024-11-05 servers); declare it explicitly.",
  ),
  minProtocol: describe(
    z.enum(["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"]).optional(),
    "Oldest protocol revision accepted; a server on an older one fails at the protocol stage.",
  ),
  env: describe(
    z.record(envVar, z.strictObject({ fromEnv: envVar })).optional(),
    "stdio: variables for the server, each taken by name from the probing process's environment (never a literal value).",
  ),
  oauth: describe(
    z
      .strictObject({
        tokenUrl: describe(url, "OAuth 2.1 token endpoint (https, or http on loopback)."),
        clientId: z.strictObject({ fromEnv: envVar }),
        clientSecret: z.strictObject({ fromEnv: envVar }),
        scope: z.string().min(1).max(500).optional(),
      })
      .optional(),
    "Client credentials grant: the probe gets a bearer token from tokenUrl before connecting.",
  ),
  requiredTools: z.array(z.string().min(1).max(200)).default([]),
  /** sha256 (hex) of each required tool's canonical input schema, for drift detection. */
  toolSchemas: z.record(z.string().min(1).max(200), z.string().regex(/^[a-f0-9]{64}$/)).optional(),
  smoke: z
    .strictObject({
      tool: z.string().min(1).max(200),
      arguments: z.record(z.string(), z.unknown()).default({}),
    })
    .optional(),
});

export const HealthCheck = z.strictObject({
  interval: duration.optional(),
  timeout: probeTimeout.optional(),
  expect: HttpExpect.optional(),
  /** Header values always come from environment variables, never from the manifest. */
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/), z.strictObject({ fromEnv: envVar })).optional(),
  maxRedirects: z.number().int().min(0).max(10).optional(),
  maxBodyBytes: z.number().int().min(1).max(100_000_000).optional(),
  retries: describe(
    z.number().int().min(1).max(10).optional(),
    "Total attempts per probe (default 3), with exponential backoff and full jitter.",
  ),
  tls: z
    .strictObject({ caFile: describe(z.string().min(1).max(500), "PEM file of a CA to trust (e.g. a private CA).") })
    .optional(),
  mcp: McpCheck.optional(),
});

export const Endpoint = z.strictObject({
  url: describe(url.optional(), "Base URL (for MCP over Streamable HTTP: the MCP endpoint)."),
  health: describe(url.optional(), "Health endpoint probed first; a failure here skips deeper stages."),
  command: describe(z.array(z.string().min(1).max(1000)).min(1).optional(), "stdio MCP server: argv to spawn."),
});

export const Service = z.strictObject({
  kind: z.enum(["mcp", "http-api", "webhook", "infra"]),
  description: text.optional(),
  owner: z.string().min(1).max(200),
  tier: z.enum(["critical", "high", "medium", "low"]),
  optional: describe(z.boolean().default(false), "An optional service never fails the probe run."),
  dependsOn: z.array(serviceName).default([]),
  endpoints: z.record(envName, Endpoint).default({}),
  healthCheck: HealthCheck.optional(),
  /** Secrets this service reads; checked against the secrets manifest by policies. */
  secrets: z.array(secretName).default([]),
  runbook: url.optional(),
});

// ---------------------------------------------------------------- secrets

export const SecretPlacement = z.strictObject({
  ref: describe(
    z.string().min(1).max(500),
    "Where the value is stored (vault path, platform secret name). Never the value.",
  ),
  lastRotated: date.optional(),
});

export const Secret = z.strictObject({
  service: serviceName,
  owner: z.string().min(1).max(200).optional(),
  purpose: text.optional(),
  requiredInProduction: z.boolean(),
  rotationDays: describe(z.number().int().positive().optional(), "Rotation period in days."),
  runbook: url.optional(),
  readers: describe(z.array(z.string().min(1).max(200)).optional(), "Who may read the value (access control)."),
  verification: describe(
    z.strictObject({ check: text, command: z.string().min(1).max(1000).optional() }).optional(),
    "How the team tests that the stored value works.",
  ),
  environments: z.record(envName, SecretPlacement).default({}),
});

// ---------------------------------------------------------------- APIs (rate limits, client policy)

const window = z.strictObject({ limit: positive, per: duration });

export const Api = z.strictObject({
  service: serviceName,
  description: text.optional(),
  provider: z.strictObject({
    model: z.enum(["token-bucket", "sliding-window", "fixed-window", "concurrency"]),
    requests: window.optional(),
    tokens: window.optional(),
    costPoints: z.strictObject({ bucket: positive, restorePerSecond: positive }).optional(),
    concurrency: z.number().int().positive().optional(),
    notes: text.optional(),
  }),
  client: z.strictObject({
    budget: z
      .strictObject({
        requests: window.optional(),
        tokens: window.optional(),
        concurrency: z.number().int().positive().optional(),
      })
      .optional(),
    retry: z
      .strictObject({
        maxAttempts: z.number().int().min(1).max(100),
        backoff: z.enum(["exponential", "linear", "constant"]),
        jitter: z.enum(["full", "equal", "decorrelated", "none"]),
        baseDelay: delay.optional(),
        maxDelay: delay.optional(),
      })
      .optional(),
    circuitBreaker: z.strictObject({ failureThreshold: z.number().int().positive(), reset: delay }).optional(),
    metrics: z.boolean().default(false),
    idempotent: describe(
      z.boolean().optional(),
      "Every call to this API may be repeated safely, so @tollgate/client retries POSTs too (otherwise only with an idempotency key).",
    ),
    replicas: describe(
      z.number().int().positive().max(10_000).optional(),
      "Processes that share the provider limit; without a shared Redis budget each takes budget ÷ replicas.",
    ),
    timeout: describe(
      delay.optional(),
      "Deadline per call in @tollgate/client, waits and retries included (default 60s).",
    ),
    metricsEndpoint: describe(
      // No userinfo: the URL is written into prometheus.yml and probe output, so it must not carry a credential.
      z
        .record(
          envName,
          z
            .string()
            .max(2048)
            .regex(
              /^https?:\/\/[^\s/?#@]+(?:[/?][^\s#]*)?$/,
              "must be an http(s) URL without credentials, e.g. https://app.example.internal/metrics",
            ),
        )
        .optional(),
      "Per environment: the URL where the app serves its Prometheus metrics (@tollgate/client's tollgate_client_* series). synth scrapes it and adds per-API panels and the metered cost alert; probe checks the series are there.",
    ),
  }),
  cost: z
    .strictObject({
      unit: z.enum(["request", "1k-tokens"]),
      monthlyVolume: positive,
      unitPriceUsd: z.number().nonnegative(),
      monthlyBudgetUsd: z.number().nonnegative().optional(),
    })
    .optional(),
});

// ---------------------------------------------------------------- webhooks

/** Generic-scheme fields a provider profile fixes (see PROFILES in @tollgate/webhooks). */
const PROFILE_FIXED = ["header", "encoding", "prefix", "timestampHeader", "signedPayload"] as const;
/** Probe header names that carry credentials: never sent from a manifest value. */
const CREDENTIAL_HEADERS = /^(authorization|proxy-authorization|cookie|x-api-key|api-key)$/i;

export const WebhookSignature = z
  .strictObject({
    scheme: describe(
      z.enum(["hmac-sha256", "none", ...PROFILE_SCHEMES]),
      "A provider profile (stripe, standard-webhooks, svix, slack, github, shopify) fixes headers, signed content, encoding and timestamp rules; hmac-sha256 is spelled out by the fields below.",
    ),
    header: describe(z.string().min(1).max(200).optional(), "hmac-sha256 only (required there): the signature header."),
    secret: secretName,
    encoding: describe(z.enum(["hex", "base64"]).optional(), "hmac-sha256 only; default hex."),
    prefix: describe(
      z.string().max(50).optional(),
      "hmac-sha256 only: text before the signature, such as sha256=; default none.",
    ),
    timestampHeader: describe(
      z.string().min(1).max(200).optional(),
      "hmac-sha256 only: the header with the signed Unix timestamp.",
    ),
    signedPayload: describe(
      z.enum(["body", "timestamp.body"]).optional(),
      "hmac-sha256 only: what the HMAC covers; default body.",
    ),
    /** Environment variable holding the signing secret for security probes. */
    probeSecretEnv: envVar.optional(),
  })
  .superRefine((sig, ctx) => {
    if (sig.scheme === "hmac-sha256" && sig.header === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["header"],
        message: "hmac-sha256 needs the signature header",
        params: {
          diagnostic: "missing-field",
          hint: "Add header: (e.g. X-Signature), or use a provider profile such as scheme: github.",
        },
        input: sig,
      });
    }
    if (sig.scheme === "hmac-sha256" || sig.scheme === "none") return;
    for (const field of PROFILE_FIXED)
      if (sig[field] !== undefined)
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `\`${field}\` is fixed by the ${sig.scheme} profile`,
          params: {
            diagnostic: "signature-fixed-by-profile",
            hint: `Remove ${field}: the ${sig.scheme} profile sets it; use scheme: hmac-sha256 to spell out a custom format.`,
          },
          input: sig[field],
        });
  })
  // The same two rules for editors and ajv (JSON Schema carries no zod refinement).
  .meta({
    allOf: [
      {
        if: { properties: { scheme: { const: "hmac-sha256" } }, required: ["scheme"] },
        then: { required: ["header"] },
      },
      {
        if: { properties: { scheme: { enum: PROFILE_SCHEMES } }, required: ["scheme"] },
        then: { not: { anyOf: PROFILE_FIXED.map((f) => ({ required: [f] })) } },
      },
    ],
  });

export const Webhook = z
  .strictObject({
    service: serviceName,
    signature: WebhookSignature.optional(),
    timestampTolerance: describe(
      duration.optional(),
      "Largest accepted distance of a signed timestamp from now, both directions (default: the profile's, 5m).",
    ),
    idempotency: z
      .strictObject({
        store: serviceName,
        keyHeader: describe(
          z.string().min(1).max(200).optional(),
          "hmac-sha256 only: the delivery-id header (a profile fixes it).",
        ),
        ttl: duration,
      })
      .optional(),
    rateLimits: z.strictObject({ perSource: z.array(window).min(1) }).optional(),
    ipAllowlist: z
      .strictObject({ enabled: z.boolean(), cidrs: z.array(z.string().min(3).max(64)).default([]) })
      .optional(),
    tls: z.strictObject({ minVersion: z.enum(["1.0", "1.1", "1.2", "1.3"]) }).optional(),
    auditLog: z.strictObject({ retentionDays: z.number().int().nonnegative() }).optional(),
    probe: z
      .strictObject({
        path: z.string().max(500).optional(),
        headers: describe(
          z.record(z.string().regex(/^[A-Za-z0-9-]{1,100}$/), z.string().max(500)).optional(),
          "Fixed extra headers sent with every probe request (X-GitHub-Event, X-Shopify-Topic, …). Never credentials: a secret-looking value is refused.",
        ),
        rejectStatus: z.array(z.number().int().min(100).max(599)).default([400, 401, 403, 409]),
        acceptStatus: z.array(z.number().int().min(100).max(599)).default([200, 202, 204]),
        duplicates: describe(
          z.enum(["reject", "acknowledge"]).default("reject"),
          "acknowledge: a duplicate is answered 2xx with Idempotent-Replayed: true and not processed again.",
        ),
      })
      .superRefine((p, ctx) => {
        for (const [name, value] of Object.entries(p.headers ?? {}))
          if (CREDENTIAL_HEADERS.test(name) || looksLikeSecretValue(value))
            ctx.addIssue({
              code: "custom",
              path: ["headers", name],
              message: `probe header ${name} looks like a credential; its value is not shown`,
              params: {
                diagnostic: "secret-value",
                hint: "Probe headers are fixed, public values (event names, topics); credentials come from healthCheck.headers' fromEnv.",
              },
              input: "",
            });
      })
      .optional(),
  })
  .superRefine((w, ctx) => {
    const scheme = w.signature?.scheme;
    if (scheme && scheme !== "hmac-sha256" && scheme !== "none" && w.idempotency?.keyHeader !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["idempotency", "keyHeader"],
        message: `\`keyHeader\` is fixed by the ${scheme} profile`,
        params: {
          diagnostic: "signature-fixed-by-profile",
          hint: `Remove keyHeader: the ${scheme} profile says where the delivery id is.`,
        },
        input: w.idempotency.keyHeader,
      });
  })
  .meta({
    if: {
      properties: { signature: { properties: { scheme: { enum: PROFILE_SCHEMES } }, required: ["scheme"] } },
      required: ["signature"],
    },
    then: { properties: { idempotency: { not: { required: ["keyHeader"] } } } },
  });

// ---------------------------------------------------------------- alerting

export const Channel = z.strictObject({
  type: z.enum(["pagerduty", "slack", "email", "webhook"]),
  description: text.optional(),
  severities: z.array(z.enum(["critical", "warning", "info"])).min(1),
  /** Alertmanager reads the credential from this file at run time (`*_file` fields). */
  credentialsFile: singleLine(z.string().min(1).max(500)).optional(),
  /** The secrets-manifest entry that holds the credential, for presence checks. */
  secret: secretName.optional(),
  url: url.optional(),
  slackChannel: singleLine(z.string().min(1).max(200)).optional(),
  to: z.array(singleLine(z.string().min(3).max(320))).optional(),
  from: singleLine(z.string().min(3).max(320)).optional(),
  smarthost: describe(hostPort.optional(), "SMTP host:port for email channels."),
});

export const ALERT_CONDITIONS = [
  "probe-failing",
  "mcp-tool-failing",
  "latency-p95-above",
  "success-rate-below",
  "rate-limited-ratio-above",
  "cost-over-budget",
  "secret-rotation-due",
  "secret-rotation-overdue",
] as const;

export const Alert = z.strictObject({
  description: text.optional(),
  condition: z.enum(ALERT_CONDITIONS),
  threshold: z.number().optional(),
  for: duration.default("0s"),
  severity: z.enum(["critical", "warning", "info"]),
  appliesTo: z
    .strictObject({
      kinds: z.array(z.enum(["mcp", "http-api", "webhook", "infra"])).optional(),
      services: z.array(serviceName).optional(),
      optional: describe(
        z.enum(["include", "exclude", "only"]).default("include"),
        "Whether optional services are covered.",
      ),
    })
    .optional(),
  runbook: url.optional(),
});

// ---------------------------------------------------------------- files
// The manifest file's schema is built from the section table (sections.ts).

const policySetting = z.union([
  z.enum(["off", "error", "warning", "note"]),
  z.strictObject({
    enabled: z.boolean().optional(),
    severity: z.enum(["error", "warning", "note"]).optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  }),
]);

export const ProjectConfig = z.strictObject({
  organization: z.string().min(1).max(200).optional(),
  manifests: describe(
    z.array(z.string().min(1).max(500)).default(["manifests", "secrets-manifest"]),
    "Folders (relative to the root) that hold manifest YAML.",
  ),
  waivers: z.string().min(1).max(500).optional(),
  customPolicies: describe(z.string().min(1).max(500).optional(), "Folder of custom policy modules (.js/.mjs)."),
  policies: z.record(z.string().regex(/^[a-z0-9-]+$/), policySetting).default({}),
  scoring: z
    .strictObject({
      weights: z.record(z.string().regex(/^[a-z0-9-]+$/), z.number().nonnegative()).optional(),
    })
    .optional(),
  gate: z
    .strictObject({
      minScore: z.number().min(0).max(100).optional(),
      failOn: z.enum(["error", "warning", "never"]).optional(),
      production: describe(
        z.strictObject({ scorecards: z.array(z.string()).default(["secrets"]) }).optional(),
        "Scorecards that must pass in full before production config is synthesized.",
      ),
    })
    .optional(),
  limits: z
    .strictObject({
      maxFileBytes: z.number().int().positive().optional(),
      maxDepth: z.number().int().positive().max(1000).optional(),
      maxWaiverDays: z.number().int().positive().optional(),
      customPolicyTimeoutMs: describe(
        z.number().int().positive().max(600_000),
        "Time limit for each custom policy's check, in milliseconds (default 5000).",
      ).optional(),
    })
    .optional(),
});

export const Waiver = z.strictObject({
  rule: z.string().regex(/^[a-z0-9-]+$/),
  subject: describe(z.string().min(1).max(500), "Subject the waiver covers; * and ? globs are allowed."),
  owner: z.string().min(1).max(200),
  reason: text,
  ticket: z.string().min(1).max(500).optional(),
  expires: date,
});

export const WaiversFile = z.strictObject({ waivers: z.array(Waiver).default([]) });

export type EnvironmentT = z.output<typeof Environment>;
export type ServiceT = z.output<typeof Service>;
export type SecretT = z.output<typeof Secret>;
export type ApiT = z.output<typeof Api>;
export type WebhookT = z.output<typeof Webhook>;
export type ChannelT = z.output<typeof Channel>;
export type AlertT = z.output<typeof Alert>;
export type AlertCondition = (typeof ALERT_CONDITIONS)[number];
export type ProjectConfigT = z.output<typeof ProjectConfig>;
export type WaiverT = z.output<typeof Waiver>;
