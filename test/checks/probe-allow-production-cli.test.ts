/**
 * `--allow-production` through the CLI, not only through runProbes: signed attack-style webhook
 * requests reach a production receiver only when the flag is given. The receiver counts what it
 * is sent, so a CLI that always (or never) passed the flag on fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { removeDir, runCli, writeProject } from "../helpers/project.js";
import { startWebhookReceiver, strictReceiverWebhook, type Running } from "../helpers/servers.js";

const secret = `whsec-${"Ap9r".repeat(8)}`;
let receiver: Running & { accepted: () => number; paths: string[] };
let root = "";

beforeAll(async () => {
  receiver = await startWebhookReceiver({ secret, strict: true });
  root = await writeProject({
    "manifests/org.yaml": stringify({
      environments: { production: { production: true, deployed: true } },
      services: {
        hook: {
          kind: "webhook",
          owner: "t",
          tier: "high",
          secrets: ["HOOK_SECRET"],
          endpoints: { production: { url: `${receiver.url}/hook` } },
          healthCheck: { timeout: "30s", retries: 1 },
        },
      },
      secrets: { HOOK_SECRET: { service: "hook", requiredInProduction: false } },
      webhooks: {
        hook: strictReceiverWebhook(),
      },
    }),
  });
});
afterAll(async () => {
  await receiver?.close();
  await removeDir(root);
});

const probe = (...extra: string[]) =>
  runCli(["probe", "--root", root, "--env", "production", "--format", "json", ...extra], {
    env: { TG_HOOK_SECRET: secret },
  });
const posts = () => receiver.paths.filter((p) => p.startsWith("POST ")).length;

describe("tollgate probe --allow-production", () => {
  it("without the flag, no signed probe request reaches a production receiver", async () => {
    const r = await probe();
    // The strict receiver refuses the plain health check (an unsigned GET): what matters is what it was sent.
    expect(JSON.parse(r.stdout).results[0].service).toBe("hook");
    expect(receiver.paths).toContain("GET /hook"); // the probe did run against it
    expect(posts()).toBe(0);
  });

  it("with the flag, the security probes are sent and judged", async () => {
    const before = posts();
    const r = await probe("--allow-production");
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).results[0]).toMatchObject({ status: "healthy" });
    expect(posts()).toBeGreaterThan(before);
    expect(receiver.accepted()).toBeGreaterThan(0);
  });
});
