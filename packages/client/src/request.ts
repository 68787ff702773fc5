/** A fetch call taken apart once, so every attempt can send it again. */

export interface Prepared {
  url: string;
  method: string;
  headers: Headers;
  /** Replayable body; null with a streamed body (sent once, never retried). */
  body: string | Uint8Array | null;
  stream: ReadableStream | null;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
  init: RequestInit;
  signal: AbortSignal | null;
}

export async function prepare(input: string | URL | Request, init: RequestInit = {}): Promise<Prepared> {
  if (typeof input === "object" && "clone" in input && typeof (input as Request).arrayBuffer === "function") {
    const req = input as Request;
    const buf = req.body ? new Uint8Array(await req.clone().arrayBuffer()) : null;
    const headers = new Headers(req.headers);
    if (init.headers) for (const [k, v] of new Headers(init.headers)) headers.set(k, v);
    return finish({
      url: req.url,
      method: (init.method ?? req.method).toUpperCase(),
      headers,
      body: init.body !== undefined ? init.body : buf,
      init,
      signal: init.signal ?? req.signal,
    });
  }
  return finish({
    url: String(input),
    method: (init.method ?? "GET").toUpperCase(),
    headers: new Headers(init.headers),
    body: init.body,
    init,
    signal: init.signal ?? null,
  });
}

function finish(p: {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
  init: RequestInit;
  signal: AbortSignal | null;
}): Prepared {
  let body: string | Uint8Array | null = null;
  let stream: ReadableStream | null = null;
  const b = p.body;
  if (b === undefined || b === null) body = null;
  else if (typeof b === "string") body = b;
  else if (b instanceof Uint8Array) body = b;
  else if (b instanceof ArrayBuffer) body = new Uint8Array(b);
  else if (ArrayBuffer.isView(b)) body = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  else if (b instanceof URLSearchParams) {
    body = b.toString();
    if (!p.headers.has("content-type"))
      p.headers.set("content-type", "application/x-www-form-urlencoded;charset=UTF-8");
  } else if (typeof (b as ReadableStream).getReader === "function") stream = b as ReadableStream;
  else body = null;
  let json: unknown = null;
  if (body !== null) {
    const text = typeof body === "string" ? body : new TextDecoder().decode(body);
    if (/^\s*[[{]/.test(text)) {
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
    }
  }
  // FormData and Blob bodies are passed through untouched and sent once.
  const passthrough = body === null && stream === null && b !== undefined && b !== null;
  return {
    url: p.url,
    method: p.method,
    headers: p.headers,
    body,
    stream: passthrough ? (b as ReadableStream) : stream,
    json,
    init: p.init,
    signal: p.signal,
  };
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]);
const KEY_HEADERS = ["idempotency-key", "x-idempotency-key"];

/** May this request be sent twice? Safe and idempotent methods, a declared-idempotent API, or an idempotency key. */
export function repeatable(p: Prepared, declaredIdempotent: boolean, keyHeader?: string): boolean {
  if (p.stream !== null) return false;
  if (SAFE.has(p.method) || declaredIdempotent) return true;
  return [...KEY_HEADERS, ...(keyHeader ? [keyHeader.toLowerCase()] : [])].some((h) => p.headers.has(h));
}
