/**
 * Receivers built on Tollgate's own verifier, on a real redis-server, behind each adapter (Node's
 * http, Express 5, Fastify 5): the probe finds nothing for any profile, and the handler runs only
 * for the deliveries meant to be processed.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createVerifier,
  expressMiddleware,
  fastifyRoute,
  nodeListener,
  PROFILE_SCHEMES,
  PROFILES,
  redisStore,
  signedHeaders,
  type Handler,
  type ProfileScheme,
  type Verifier,
  type WebhookDeclaration,
} from "@tollgate/webhooks";
import { startRedis, type RedisServer } from "../helpers/redis-server.js";
import { PROVIDER_HEADERS, probeReceiver, secretFor } from "../helpers/webhook-receivers.js";

type Adapter = "node" | "express" | "fastify";
let redis: RedisServer;
const closers: (() => Promise<unknown>)[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  await redis?.stop();
});

async function serve(adapter: Adapter, verifier: Verifier, handler: Handler): Promise<string> {
  if (adapter === "fastify") {
    const app = Fastify();
    fastifyRoute(app, "/hook", verifier, handler);
    await app.listen({ port: 0, host: "127.0.0.1" });
    closers.push(() => app.close());
    return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/hook`;
  }
  let server: http.Server;
  if (adapter === "express") {
    const app = express();
    app.post("/hook", expressMiddleware(verifier, handler));
    server = http.createServer(app);
  } else server = http.createServer(nodeListener(verifier, handler));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  closers.push(
    () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

const ADAPTERS: Adapter[] = ["node", "express", "fastify"];
let n = 0;

async function receiver(
  declaration: WebhookDeclaration,
  secret: string,
  adapter: Adapter,
  duplicates: "reject" | "acknowledge" = "reject",
) {
  const processed: string[] = [];
  const verifier = createVerifier({
    name: `hook-${n++}`,
    declaration,
    secret,
    store: redisStore(redis.client()),
    duplicates,
    audit: false,
  });
  const url = await serve(adapter, verifier, (e) => {
    processed.push(e.id ?? "");
  });
  return { url, processed };
}

describe.each(PROFILE_SCHEMES.map((s, i) => [s, ADAPTERS[i % 3]!] as [ProfileScheme, Adapter]))(
  "%s on Tollgate's verifier (%s adapter, Redis)",
  (scheme, adapter) => {
    it("no finding; three deliveries processed (four with the rotation request)", async () => {
      const secret = secretFor(scheme);
      const r = await receiver({ signature: { scheme }, idempotency: { ttl: "24h" } }, secret, adapter);
      const result = await probeReceiver(r.url, scheme, secret);
      expect(result.detail).not.toContain("missing controls");
      expect(result).toMatchObject({ status: "healthy", stage: "ok" });
      expect(r.processed).toHaveLength(scheme === "standard-webhooks" || scheme === "svix" ? 4 : 3);
    });

    it("duplicates acknowledged with Idempotent-Replayed: true", async () => {
      const secret = secretFor(scheme);
      const r = await receiver(
        { signature: { scheme }, idempotency: { ttl: "24h" } },
        secret,
        ADAPTERS[(ADAPTERS.indexOf(adapter) + 1) % 3]!,
        "acknowledge",
      );
      expect(await probeReceiver(r.url, scheme, secret, { duplicates: "acknowledge" })).toMatchObject({
        status: "healthy",
        stage: "ok",
      });
    });
  },
);

it.each(ADAPTERS)(
  "the generic hmac-sha256 scheme (timestamp.body, unsigned delivery-id header) on the %s adapter",
  async (adapter) => {
    const signature = {
      header: "X-Signature",
      prefix: "sha256=",
      timestampHeader: "X-Timestamp",
      signedPayload: "timestamp.body",
    } as const;
    const r = await receiver(
      {
        signature: { scheme: "hmac-sha256", ...signature },
        timestampTolerance: "5m",
        idempotency: { keyHeader: "X-Delivery", ttl: "24h" },
      },
      "generic-secret-value",
      adapter,
    );
    const result = await probeReceiver(r.url, "hmac-sha256", "generic-secret-value", {}, signature, {
      timestampTolerance: "5m",
      idempotency: { store: "store", keyHeader: "X-Delivery", ttl: "24h" },
    });
    expect(result).toMatchObject({ status: "healthy", stage: "ok" });
    expect(r.processed).toHaveLength(3);
  },
);

it("an Express app that parsed JSON before the middleware fails loudly instead of verifying re-serialised JSON", async () => {
  const verifier = createVerifier({
    name: "parsed",
    declaration: { signature: { scheme: "github" } },
    secret: "s",
    store: redisStore(redis.client()),
    audit: false,
  });
  const app = express();
  app.use(express.json());
  app.post(
    "/hook",
    expressMiddleware(verifier, () => {}),
  );
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  closers.push(
    () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      }),
  );
  const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, {
    method: "POST",
    headers: { "content-type": "application/json", ...PROVIDER_HEADERS.github },
    body: '{"a":1}',
  });
  expect(res.status).toBe(500);
});

it.each(ADAPTERS)(
  "a handler that fails answers 500 and releases the key, so the provider's retry is processed (%s)",
  async (adapter) => {
    const secret = secretFor("standard-webhooks");
    let calls = 0;
    const verifier = createVerifier({
      name: `retry-${adapter}`,
      declaration: { signature: { scheme: "standard-webhooks" } },
      secret,
      store: redisStore(redis.client()),
      audit: false,
    });
    const url = await serve(adapter, verifier, () => {
      calls++;
      if (calls === 1) throw new Error("database down");
    });
    const body = '{"type":"order.created"}';
    const headers = signedHeaders(PROFILES["standard-webhooks"], [secret], {
      body,
      timestamp: Math.floor(Date.now() / 1000),
      id: `msg_retry_${adapter}`,
    });
    const post = () =>
      fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    expect((await post()).status).toBe(500);
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(409);
    expect(calls).toBe(2);
  },
);
