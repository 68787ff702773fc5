/**
 * `tollgate probe --state` keeps the webhook probe's first delivery for profiles without a signed
 * timestamp and replays it in the next run: a receiver whose idempotency keys expired early (here:
 * one that forgets them when told to, as a 1 h TTL would after an hour) is caught by the CLI.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { removeDir, runCli, writeProject } from "../helpers/project.js";
import { PROVIDER_HEADERS, secretFor, startLibReceiver } from "../helpers/webhook-receivers.js";

const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  await Promise.all(dirs.map(removeDir));
});

it("the second run replays the first run's delivery; an early-expiring receiver is caught, and no secret is stored", async () => {
  const secret = secretFor("github");
  const good = await startLibReceiver({ scheme: "github", secret, requireHeaders: ["X-GitHub-Event"] });
  const forgetful = await startLibReceiver({
    scheme: "github",
    secret,
    requireHeaders: ["X-GitHub-Event"],
    weakness: "short-ttl",
  });
  closers.push(good.close, forgetful.close);
  const manifest = (url: string) => `environments:
  local: { deployed: true }
services:
  hook: { kind: webhook, owner: t, tier: high, secrets: [HOOK_SECRET], endpoints: { local: { url: "${url}/hook" } }, healthCheck: { timeout: 30s, retries: 1 } }
  redis: { kind: infra, owner: t, tier: high }
secrets:
  HOOK_SECRET: { service: hook, requiredInProduction: false }
webhooks:
  hook:
    service: hook
    signature: { scheme: github, secret: HOOK_SECRET, probeSecretEnv: TG_HOOK_SECRET }
    idempotency: { store: redis, ttl: 24h }
    probe: { headers: { X-GitHub-Event: ${PROVIDER_HEADERS.github!["X-GitHub-Event"]} } }
`;
  for (const [r, expectCaught] of [
    [good, false],
    [forgetful, true],
  ] as const) {
    const root = await writeProject({ "manifests/hook.yaml": manifest(r.url) });
    dirs.push(root);
    const state = path.join(root, "state.json");
    const run = () =>
      runCli(["probe", "--root", root, "--env", "local", "--state", state, "--format", "json"], {
        env: { TG_HOOK_SECRET: secret },
      });
    const first = await run();
    expect(first.code, first.stderr).toBe(0);
    const stored = readFileSync(state, "utf8");
    expect(JSON.parse(stored).webhookDeliveries.hook).toHaveLength(1);
    expect(stored).not.toContain(secret);
    r.advance(2 * 3_600_000); // two hours on the receiver's clock: a 1 h TTL has run out, 24 h has not
    const second = await run();
    const result = JSON.parse(second.stdout).results[0];
    if (expectCaught) {
      expect(second.code).toBe(1);
      expect(result.detail).toMatch(
        /idempotency TTL \(a delivery the probe first sent \d+s ago, inside the declared ttl 24h, was processed again\)/,
      );
    } else {
      expect(second.code, result.detail).toBe(0);
      expect(result.detail).toMatch(/, a \d+s old delivery;/);
    }
  }
});
