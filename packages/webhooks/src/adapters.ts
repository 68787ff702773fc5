/**
 * Thin adapters: Node's http, Express and Fastify. Each hands the verifier the raw bytes (never a
 * re-serialised body), runs the handler only for a first delivery, and releases the idempotency
 * claim when the handler fails so the provider's retry is processed.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Verdict, Verifier } from "./verifier.js";

export interface Event {
  body: Buffer;
  id?: string;
  headers: Record<string, string | string[] | undefined>;
}
export type Handler = (event: Event) => unknown | Promise<unknown>;

/** Response header on an acknowledged duplicate: what the probe observes (`probe.duplicates: acknowledge`). */
export const REPLAYED_HEADER = "Idempotent-Replayed";
const MAX_BODY = 1_048_576;

function readBody(req: IncomingMessage, limit = MAX_BODY): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        // Stop buffering but keep the socket: destroying it reset the connection before the 413 was
        // written. The rest is discarded, and the answer's Connection: close ends the socket.
        chunks.length = 0;
        req.removeAllListeners("data");
        req.resume();
        resolve(undefined);
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Verify, run the handler once, and say what to answer. */
export async function handleDelivery(
  verifier: Verifier,
  handler: Handler,
  rawBody: Buffer,
  headers: Event["headers"],
  source: string | undefined,
): Promise<Answer> {
  const v: Verdict = await verifier.verify({ rawBody, headers, ...(source ? { source } : {}) });
  if (!v.ok) return { status: v.status, headers: {}, body: v.reason };
  if (v.duplicate) return { status: 200, headers: { [REPLAYED_HEADER]: "true" }, body: "duplicate" };
  try {
    await handler({ body: v.body, headers, ...(v.id ? { id: v.id } : {}) });
  } catch {
    await v.release();
    return { status: 500, headers: {}, body: "handler failed" };
  }
  return { status: 200, headers: {}, body: "ok" };
}

function send(res: ServerResponse, a: Answer): void {
  res.writeHead(a.status, { "content-type": "text/plain", ...a.headers });
  res.end(a.body);
}

/** `http.createServer(nodeListener(verifier, handler))`. */
export function nodeListener(verifier: Verifier, handler: Handler) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const body = await readBody(req);
      if (!body) return send(res, { status: 413, headers: { connection: "close" }, body: "too large" });
      send(res, await handleDelivery(verifier, handler, body, req.headers, req.socket.remoteAddress));
    } catch {
      if (!res.headersSent) send(res, { status: 500, headers: {}, body: "error" });
    }
  };
}

const isEmptyObject = (x: unknown) =>
  typeof x === "object" && x !== null && !Array.isArray(x) && Object.keys(x).length === 0;

/**
 * Express middleware for the webhook route. Mount it before any body parser (or after
 * `express.raw()`): a body already parsed as JSON cannot be verified and is refused loudly.
 */
export function expressMiddleware(verifier: Verifier, handler: Handler) {
  return async (
    req: IncomingMessage & { body?: unknown; ip?: string },
    res: ServerResponse,
    next: (e?: unknown) => void,
  ): Promise<void> => {
    try {
      let body: Buffer | undefined;
      if (Buffer.isBuffer(req.body)) body = req.body;
      // A parser read the stream (an ended stream would never answer) or left something other than
      // Express 4's untouched `{}`: the raw bytes are gone.
      else if (req.readableEnded || (req.body !== undefined && !isEmptyObject(req.body))) {
        return next(
          new Error(
            "@tollgate/webhooks: the body was already read or parsed; mount expressMiddleware before express.json()/express.text() or use express.raw()",
          ),
        );
      } else body = await readBody(req);
      if (!body) return send(res, { status: 413, headers: { connection: "close" }, body: "too large" });
      send(res, await handleDelivery(verifier, handler, body, req.headers, req.socket.remoteAddress));
    } catch (e) {
      next(e);
    }
  };
}

/** The few Fastify instance methods used (any Fastify 4/5 instance fits). */
interface FastifyLike {
  register(plugin: (scope: any) => Promise<void>): unknown;
}

/** Registers `POST path` in its own scope, whose body parser keeps the raw bytes. */
export function fastifyRoute(app: FastifyLike, path: string, verifier: Verifier, handler: Handler): void {
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      "*",
      { parseAs: "buffer", bodyLimit: MAX_BODY },
      (_req: unknown, body: Buffer, done: (e: Error | null, b?: Buffer) => void) => done(null, body),
    );
    scope.post(
      path,
      async (
        req: { body?: Buffer; headers: Event["headers"]; ip?: string; socket?: { remoteAddress?: string } },
        reply: any,
      ) => {
        const a = await handleDelivery(
          verifier,
          handler,
          req.body ?? Buffer.alloc(0),
          req.headers,
          req.socket?.remoteAddress ?? req.ip,
        );
        return reply
          .code(a.status)
          .headers({ "content-type": "text/plain", ...a.headers })
          .send(a.body);
      },
    );
  });
}
