// A webhook receiver as an adopter writes it: @tollgate/webhooks' verifier behind Node's http,
// idempotency keys in Redis (or in memory when STORE=memory, to show what a restart then forgets).
// Prints "listening <port>" once ready and "processed <id>" per delivery handled.
import http from "node:http";
import { Redis } from "ioredis";
import { createVerifier, memoryStore, nodeListener, redisStore } from "@tollgate/webhooks";

const redis = process.env.STORE === "memory" ? undefined : new Redis(process.env.REDIS_URL);
const verifier = createVerifier({
  name: "orders",
  declaration: { signature: { scheme: "standard-webhooks" }, timestampTolerance: "5m", idempotency: { ttl: "24h" } },
  secret: process.env.WEBHOOK_SECRET,
  store: redis ? redisStore(redis) : memoryStore(),
  audit: (line) => process.stderr.write(`${line}\n`),
});
const server = http.createServer(nodeListener(verifier, (event) => process.stdout.write(`processed ${event.id}\n`)));
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () =>
  process.stdout.write(`listening ${server.address().port}\n`),
);
process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  redis?.disconnect();
});
