/**
 * Where idempotency keys and rate-limit counters live. Redis (through an ioredis client the app
 * passes in) for anything that restarts or runs more than one process; memory for tests and a
 * single process only: a restart forgets every key, so a replay is accepted again.
 */

export interface Store {
  /** Records `key` for `ttlMs` unless present; true when this call recorded it (first delivery). */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Forgets a claim (the handler failed, so the provider's retry must be processed). */
  release(key: string): Promise<void>;
  /** Increments a counter that expires `ttlMs` after its first increment; returns the new count. */
  increment(key: string, ttlMs: number): Promise<number>;
}

/** The few ioredis methods used: any ioredis (5 or 6) Redis or Cluster instance fits. */
export interface RedisLike {
  set(key: string, value: string, px: "PX", ms: number, nx: "NX"): Promise<"OK" | null>;
  del(key: string): Promise<number>;
  eval(script: string, keys: number, ...args: (string | number)[]): Promise<unknown>;
}

const INCREMENT =
  "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n";

export function redisStore(redis: RedisLike, prefix = "tollgate:webhooks:"): Store {
  return {
    async claim(key, ttlMs) {
      return (await redis.set(prefix + key, "1", "PX", Math.max(1, Math.round(ttlMs)), "NX")) === "OK";
    },
    async release(key) {
      await redis.del(prefix + key);
    },
    async increment(key, ttlMs) {
      return Number(await redis.eval(INCREMENT, 1, prefix + key, Math.max(1, Math.round(ttlMs))));
    },
  };
}

/** In-process store: tests and single processes. `now` is injectable so expiry is tested without waiting. */
export function memoryStore(now: () => number = Date.now): Store {
  const entries = new Map<string, { expires: number; count: number }>();
  const live = (key: string) => {
    const e = entries.get(key);
    if (e && e.expires <= now()) entries.delete(key);
    return entries.get(key);
  };
  // Swept when the map doubles since the last sweep, not on every insert past a fixed size: with
  // more live keys than that size each delivery would rescan them all.
  let sweepAt = 10_000;
  const sweep = () => {
    if (entries.size < sweepAt) return;
    const t = now();
    for (const [k, e] of entries) if (e.expires <= t) entries.delete(k);
    sweepAt = Math.max(10_000, entries.size * 2);
  };
  return {
    async claim(key, ttlMs) {
      if (live(key)) return false;
      sweep();
      entries.set(key, { expires: now() + ttlMs, count: 1 });
      return true;
    },
    async release(key) {
      entries.delete(key);
    },
    async increment(key, ttlMs) {
      const e = live(key);
      if (e) return ++e.count;
      sweep();
      entries.set(key, { expires: now() + ttlMs, count: 1 });
      return 1;
    },
  };
}
