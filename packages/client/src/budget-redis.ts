/**
 * A budget every replica shares, kept in Redis by Lua scripts (atomic: no two processes can
 * take the last slot). Time is Redis' own TIME, so the replicas need no common clock.
 */
import type { Clock } from "./clock.js";
import type { BudgetStore, Limits } from "./budget-store.js";

/** The part of an ioredis client this uses (ioredis is an optional peer dependency). */
export interface RedisLike {
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

const NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)";

// KEYS: requests, token times, token amounts. ARGV: model, reqLimit, reqWin, tokLimit, tokWin, tokens, id.
const TAKE = `${NOW}
local reqLimit, reqWin = tonumber(ARGV[2]), tonumber(ARGV[3])
local tokLimit, tokWin = tonumber(ARGV[4]), tonumber(ARGV[5])
local tokens, id = math.min(tonumber(ARGV[6]), tokLimit), ARGV[7]
local wait, level, tokWait = 0, nil, 0
if reqLimit > 0 then
  if ARGV[1] == 'bucket' then
    local cap, rate = math.max(1, reqLimit), reqLimit / reqWin
    local b = redis.call('HMGET', KEYS[1], 'level', 'at')
    level = math.min(cap, (tonumber(b[1]) or cap) + math.max(0, now - (tonumber(b[2]) or now)) * rate)
    if level < 1 then wait = math.ceil((1 - level) / rate) end
  else
    redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - reqWin)
    local n, lim = redis.call('ZCARD', KEYS[1]), math.max(1, math.floor(reqLimit))
    if n >= lim then
      local o = redis.call('ZRANGE', KEYS[1], n - lim, n - lim, 'WITHSCORES')
      wait = math.max(1, tonumber(o[2]) + reqWin - now)
    end
  end
end
if tokLimit > 0 then
  for _, old in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now - tokWin)) do redis.call('HDEL', KEYS[3], old) end
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tokWin)
  local used = 0
  for _, v in ipairs(redis.call('HVALS', KEYS[3])) do used = used + tonumber(v) end
  if used + tokens > tokLimit then
    local live = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
    local w = 1
    for i = 1, #live, 2 do
      used = used - (tonumber(redis.call('HGET', KEYS[3], live[i])) or 0)
      if used + tokens <= tokLimit then w = math.max(1, tonumber(live[i + 1]) + tokWin - now) break end
    end
    tokWait = w
  end
end
if wait > 0 or tokWait > 0 then return {math.max(wait, tokWait), tokWait > wait and 1 or 0} end
if reqLimit > 0 then
  if ARGV[1] == 'bucket' then
    redis.call('HSET', KEYS[1], 'level', tostring(level - 1), 'at', now)
  else
    redis.call('ZADD', KEYS[1], now, id)
  end
  redis.call('PEXPIRE', KEYS[1], reqWin + 1000)
end
if tokLimit > 0 then
  redis.call('ZADD', KEYS[2], now, id)
  redis.call('HSET', KEYS[3], id, tokens)
  redis.call('PEXPIRE', KEYS[2], tokWin + 1000)
  redis.call('PEXPIRE', KEYS[3], tokWin + 1000)
end
return {0, 0}`;

// KEYS: requests (a sliding log; a bucket hash is left alone), token times. ARGV: id.
const ANSWERED = `${NOW}
if redis.call('TYPE', KEYS[1]).ok == 'zset' then redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1]) end
redis.call('ZADD', KEYS[2], 'XX', now, ARGV[1])
return 0`;

const CORRECT =
  "if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end return 0";

// KEYS: leases. ARGV: limit, lease ms, id. A crashed replica's slot frees itself when its lease ends.
const ENTER = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + 1000)
return 1`;

export class RedisBudget implements BudgetStore {
  private readonly keys: { req: string; tokAt: string; tokAmount: string; leases: string };

  constructor(
    private readonly redis: RedisLike,
    private readonly limits: Limits,
    private readonly clock: Clock,
    prefix: string,
    api: string,
    private readonly leaseMs: number,
  ) {
    // One hash tag per API keeps every key of a script on one Redis Cluster slot.
    const p = `${prefix}{${api}}`;
    this.keys = {
      req: `${p}:requests`,
      tokAt: `${p}:token-times`,
      tokAmount: `${p}:token-amounts`,
      leases: `${p}:leases`,
    };
  }

  async take(id: string, tokens: number): Promise<{ waitMs: number; byTokens: boolean }> {
    const { requests: r, tokens: t, model } = this.limits;
    if (!r && !t) return { waitMs: 0, byTokens: false };
    const k = this.keys;
    const [wait, byTokens] = (await this.redis.eval(
      TAKE,
      3,
      k.req,
      k.tokAt,
      k.tokAmount,
      model,
      r?.limit ?? 0,
      r?.perMs ?? 0,
      t?.limit ?? 0,
      t?.perMs ?? 0,
      Math.max(0, Math.round(tokens)),
      id,
    )) as [number, number];
    return { waitMs: Number(wait), byTokens: Number(byTokens) === 1 };
  }

  async answered(id: string): Promise<void> {
    const { requests: r, tokens: t, model } = this.limits;
    if (!(r && model === "log") && !t) return;
    await this.redis.eval(ANSWERED, 2, this.keys.req, this.keys.tokAt, id);
  }

  async correct(id: string, tokens: number): Promise<void> {
    if (!this.limits.tokens) return;
    await this.redis.eval(CORRECT, 1, this.keys.tokAmount, id, Math.max(0, Math.round(tokens)));
  }

  async enter(id: string, signal: AbortSignal): Promise<void> {
    const max = this.limits.concurrency;
    if (max === null) return;
    // Redis has no wake-up for a freed slot: ask again after a short, growing pause.
    for (let pause = 5; ; pause = Math.min(100, pause * 2)) {
      if (Number(await this.redis.eval(ENTER, 1, this.keys.leases, max, this.leaseMs, id)) === 1) return;
      await this.clock.sleep(pause, signal);
    }
  }

  async leave(id: string): Promise<void> {
    if (this.limits.concurrency === null) return;
    await this.redis.eval("return redis.call('ZREM', KEYS[1], ARGV[1])", 1, this.keys.leases, id);
  }
}
