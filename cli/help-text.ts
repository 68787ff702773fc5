/**
 * What every command's --help ends with: examples and exit codes, one table row per command (the
 * README's command table says the same). Global options are shown by commander (showGlobalOptions).
 */
interface CommandHelp {
  examples: string[];
  exits: string[];
  /** Extra paragraphs after the examples (endpoints, units). */
  notes?: string[];
}

export const COMMAND_HELP: Record<string, CommandHelp> = {
  init: {
    examples: ["tollgate init", 'tollgate init my-estate --org "Acme Inc"', "tollgate init demo --example reference"],
    exits: ["0  files written", "2  nothing written (a file exists, a bad option)"],
  },
  validate: {
    examples: [
      "tollgate validate",
      "tollgate validate --format json=validate.json --format text",
      "tollgate validate --root infra/tollgate --now 2026-11-24",
    ],
    exits: ["0  valid", "2  invalid input (every problem listed as file:line:col code message)"],
  },
  check: {
    examples: [
      "tollgate check",
      "tollgate check --sort impact --explain",
      "tollgate check --format html=report.html --format sarif=tollgate.sarif",
      "tollgate check --base origin/main --fail-on-new --max-drop 5",
    ],
    exits: ["0  the gate passed", "1  the gate failed", "2  invalid input (nothing was decided)"],
  },
  forecast: {
    examples: [
      "tollgate forecast --days 14",
      "tollgate forecast --format prometheus --output /var/lib/node_exporter/tollgate.prom",
    ],
    exits: ["0  listed", "2  invalid input"],
  },
  synth: {
    examples: [
      "tollgate synth --env staging",
      "tollgate synth --all --out cdktf.out --hcl",
      'tollgate synth --env production --force --reason "incident 42 hotfix"',
    ],
    exits: ["0  synthesized", "1  production refused: the readiness gate fails", "2  invalid input"],
  },
  probe: {
    examples: [
      "tollgate probe --env staging",
      "tollgate probe --service supabase --timeout 5s --deadline 45s",
      "tollgate probe --format prometheus --output probe.prom --state probe-state.json",
    ],
    exits: ["0  healthy", "1  unhealthy", "2  invalid input"],
    notes: [
      "Durations take a unit (500ms, 5s, 2m, 1h); a plain number is milliseconds (kept for --timeout's older form).",
    ],
  },
  serve: {
    examples: ["tollgate serve --env staging", "tollgate serve --listen 0.0.0.0:9469 --max-concurrent 50"],
    exits: ["0  stopped by SIGTERM or SIGINT", "2  invalid input (options, manifests, an address in use)"],
    notes: [
      "Endpoints:",
      "  GET /probe?service=NAME   that service's tollgate_probe_* series (400 for a name the",
      "                            manifests do not declare); honours X-Prometheus-Scrape-Timeout-Seconds",
      "  GET /probe?service=NAME&debug=true   the result and its detail above the series (--allow-debug)",
      "  GET /metrics              the exporter's own metrics",
      "  GET /-/healthy, /-/ready  liveness and readiness",
      "  POST /-/reload            reload the manifests, like SIGHUP (probes in flight finish)",
      "See docs/probes.md#exporter-tollgate-serve.",
    ],
  },
  "mcp-tools": {
    examples: ["tollgate mcp-tools --env staging", "tollgate mcp-tools --service supabase-mcp"],
    exits: ["0  listed", "1  a server was unreachable", "2  invalid input"],
  },
  policies: {
    examples: ["tollgate policies", "tollgate policies --format json"],
    exits: ["0  listed", "2  invalid input"],
  },
  simulate: {
    examples: [
      "tollgate simulate --api openai",
      "tollgate simulate --api shopify-admin --listen 127.0.0.1:8787 --latency 20",
      "tollgate simulate --api chatwoot --failure-rate 0.3",
    ],
    exits: ["0  stopped by SIGTERM or SIGINT", "2  invalid input"],
    notes: [
      "Answers as the provider does: OpenAI 429 with x-ratelimit-* headers (requests vs tokens) and",
      "usage; Shopify REST 429 with Retry-After, GraphQL cost points and THROTTLED inside HTTP 200;",
      "Google Analytics 429 RESOURCE_EXHAUSTED over the concurrency limit. Loopback only; prints its",
      "URL on standard output. See docs/client.md.",
    ],
  },
};

export function helpAfter(command: string): string {
  const h = COMMAND_HELP[command];
  if (!h) return "";
  return [
    "",
    ...(h.notes ? [...h.notes, ""] : []),
    "Examples:",
    ...h.examples.map((e) => `  ${e}`),
    "",
    "Exit codes:",
    ...h.exits.map((e) => `  ${e}`),
  ].join("\n");
}
