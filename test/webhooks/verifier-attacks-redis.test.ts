/**
 * The verifier's store and adapters under attack, on a real redis-server: concurrent duplicates
 * (one processed), keys an attacker shapes, the TTL Redis actually holds, X-Forwarded-For against
 * the allowlist and the per-source rate limit, and Express apps whose body was parsed already.
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
  PROFILES,
  redisStore,
  signedHeaders,
  type Handler,
  type Verifier,
  type WebhookDeclaration,
} from "@tollgate/webhooks";
import { startRedis, type RedisServer } from "../helpers/redis-server.js";
import { secretFor } from "../helpers/webhook-receivers.js";

type Adapter = "node" | "express" | "fastify";
const ADAPTERS: Adapter[] = ["node", "express", "fastify"];
const SECRET = secretFor("standard-webhooks");
let redis: RedisServer;
const closers: (() => Promise<unknown>)[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  await redis?.stop();
});

async function listen(server: http.Server): Promise<string> {
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

async function serve(adapter: Adapter, verifier: Verifier, handler: Handler): Promise<string> {
  if (adapter === "fastify") {
    const app = Fastify();
    fastifyRoute(app, "/hook", verifier, handler);
    await app.listen({ port: 0, host: "127.0.0.1" });
    closers.push(() => app.close());
    return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/hook`;
  }
  if (adapter === "express") {
    const app = express();
    app.post("/hook", expressMiddleware(verifier, handler));
    return listen(http.createServer(app));
  }
  return listen(http.createServer(nodeListener(verifier, handler)));
}

let n = 0;
const make = (
  declaration: WebhookDeclaration = { signature: { scheme: "standard-webhooks" }, idempotency: { ttl: "24h" } },
) =>
  createVerifier({
    name: `attack-${n++}`,
    declaration,
    secret: SECRET,
    store: redisStore(redis.client()),
    audit: false,
  });
const signed = (id: string, body = `{"type":"order.created","id":${JSON.stringify(id)}}`) => ({
  body,
  headers: signedHeaders(PROFILES["standard-webhooks"], [SECRET], {
    body,
    timestamp: Math.floor(Date.now() / 1000),
    id,
  }),
});
const post = (url: string, d: { body: string; headers: Record<string, string> }, extra: Record<string, string> = {}) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...d.headers, ...extra },
    body: d.body,
    signal: AbortSignal.timeout(120_000),
  });

describe.each(ADAPTERS)("%s adapter on Redis", (adapter) => {
  it("twenty identical deliveries at once: the handler runs exactly once, the rest are 409", async () => {
    let calls = 0;
    const url = await serve(adapter, make(), async () => {
      calls++;
    });
    const d = signed(`msg_race_${adapter}`);
    const statuses = await Promise.all(Array.from({ length: 20 }, () => post(url, d).then((r) => r.status)));
    expect(calls).toBe(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
  });

  it("X-Forwarded-For does not move the peer inside the allowlist, nor out of its rate-limit bucket", async () => {
    let calls = 0;
    const allow = await serve(
      adapter,
      make({ signature: { scheme: "standard-webhooks" }, ipAllowlist: { enabled: true, cidrs: ["10.0.0.0/8"] } }),
      () => {
        calls++;
      },
    );
    for (const xff of ["10.1.2.3", "10.1.2.3, 127.0.0.1", "127.0.0.1, 10.1.2.3"]) {
      expect(
        (
          await post(allow, signed(`msg_xff_${adapter}_${xff}`), {
            "x-forwarded-for": xff,
            "x-real-ip": "10.1.2.3",
            forwarded: "for=10.1.2.3",
          })
        ).status,
      ).toBe(403);
    }
    const limited = await serve(
      adapter,
      make({ signature: { scheme: "standard-webhooks" }, rateLimits: { perSource: [{ limit: 2, per: "1h" }] } }),
      () => {
        calls++;
      },
    );
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (await post(limited, signed(`msg_rl_${adapter}_${i}`), { "x-forwarded-for": `203.0.113.${i}` })).status,
      );
    expect(statuses).toEqual([200, 200, 429, 429, 429]);
    expect(calls).toBe(2);
  });
});

it("two receivers (two processes' worth: their own verifier and Redis connection) racing on one delivery: one processes it", async () => {
  const declaration: WebhookDeclaration = { signature: { scheme: "standard-webhooks" } };
  const a = createVerifier({
    name: "shared",
    declaration,
    secret: SECRET,
    store: redisStore(redis.client()),
    audit: false,
  });
  const b = createVerifier({
    name: "shared",
    declaration,
    secret: SECRET,
    store: redisStore(redis.client()),
    audit: false,
  });
  const d = signed("msg_two_processes");
  const verdicts = await Promise.all(
    Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).verify({ rawBody: d.body, headers: d.headers })),
  );
  expect(verdicts.filter((v) => v.ok && !v.duplicate)).toHaveLength(1);
});

it("ids an attacker would shape for Redis are stored verbatim, one key each, with the declared TTL", async () => {
  const client = redis.client();
  const v = createVerifier({
    name: "shapes",
    declaration: { signature: { scheme: "standard-webhooks" }, idempotency: { ttl: "24h" } },
    secret: SECRET,
    store: redisStore(client),
    audit: false,
  });
  const ids = [
    "msg *",
    "msg ?",
    "msg [a-z]",
    "msg {tag}",
    "msg\r\n*1\r\n$8\r\nFLUSHALL\r\n",
    "msg \u00e9\u{1f600}",
    "msg:seen:id:x",
    "x".repeat(4000),
    "msg\u0000nul",
  ];
  for (const id of ids) {
    expect(await v.verify({ rawBody: signed(id).body, headers: signed(id).headers })).toMatchObject({ ok: true, id });
    expect(await v.verify({ rawBody: signed(id).body, headers: signed(id).headers })).toMatchObject({
      ok: false,
      reason: "replay",
    });
  }
  const keys = await client.keys("tollgate:webhooks:shapes:seen:*");
  expect(keys.sort()).toEqual(ids.map((id) => `tollgate:webhooks:shapes:seen:id:${id}`).sort());
  for (const k of keys) {
    const pttl = await client.pttl(k);
    // Set with PX 86 400 000: never persistent (-1), never longer, and not some other unit.
    expect(pttl).toBeGreaterThan(86_400_000 - 600_000);
    expect(pttl).toBeLessThanOrEqual(86_400_000);
  }
  expect(await client.dbsize()).toBeGreaterThan(ids.length - 1); // nothing was flushed
});

it("rate-limit counters expire with their window in Redis", async () => {
  const client = redis.client();
  const v = createVerifier({
    name: "rl-ttl",
    declaration: {
      signature: { scheme: "standard-webhooks" },
      rateLimits: {
        perSource: [
          { limit: 100, per: "1m" },
          { limit: 1000, per: "1d" },
        ],
      },
    },
    secret: SECRET,
    store: redisStore(client),
    audit: false,
  });
  await v.verify({ rawBody: "{}", headers: {}, source: "192.0.2.7" });
  const ttls = await Promise.all([0, 1].map((i) => client.pttl(`tollgate:webhooks:rl-ttl:rate:${i}:192.0.2.7`)));
  expect(ttls[0]).toBeGreaterThan(0);
  expect(ttls[0]).toBeLessThanOrEqual(60_000);
  expect(ttls[1]).toBeGreaterThan(60_000);
  expect(ttls[1]).toBeLessThanOrEqual(86_400_000);
});

describe("Express apps that parsed the body before the middleware", () => {
  it.each([
    ["express.json() of {}", express.json(), "application/json", "{}"],
    ["express.json() of []", express.json(), "application/json", "[]"],
    ["express.json() of an object", express.json(), "application/json", '{"id":"msg_1"}'],
    ["express.text()", express.text(), "text/plain", "hello"],
    ["express.urlencoded()", express.urlencoded(), "application/x-www-form-urlencoded", "payload=%7B%7D"],
  ])("%s: answered with an error, never verified and never left hanging", async (_name, parser, type, body) => {
    let calls = 0;
    const app = express();
    app.use(parser);
    app.post(
      "/hook",
      expressMiddleware(make(), () => {
        calls++;
      }),
    );
    const errors: string[] = [];
    app.use((e: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      errors.push(e.message);
      res.status(500).end();
    });
    const url = await listen(http.createServer(app));
    const d = signed("msg_parsed", body);
    const res = await post(url, d, { "content-type": type });
    expect(res.status).toBe(500);
    expect(errors).toEqual([expect.stringContaining("already")]);
    expect(calls).toBe(0);
  });

  it("express.raw() before it: verified on the exact bytes", async () => {
    let calls = 0;
    const app = express();
    app.use(express.raw({ type: "*/*" }));
    app.post(
      "/hook",
      expressMiddleware(make(), () => {
        calls++;
      }),
    );
    const url = await listen(http.createServer(app));
    const d = signed("msg_raw", '{ "pretty" : "caf\\u00e9" }');
    expect((await post(url, d)).status).toBe(200);
    expect(calls).toBe(1);
  });
});

it.each(ADAPTERS)("a body over the limit is answered 413 (%s), never buffered and never handled", async (adapter) => {
  let calls = 0;
  const url = new URL(
    await serve(adapter, make(), () => {
      calls++;
    }),
  );
  const status = await new Promise<number>((resolve, reject) => {
    const req = http.request(url, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    // The server may close while we still write: only the answer counts.
    req.on("error", (e) => setImmediate(() => reject(e)));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < 4 * 1_048_576) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
  expect(status).toBe(413);
  expect(calls).toBe(0);
});
