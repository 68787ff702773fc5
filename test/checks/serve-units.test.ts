/** The exporter's small pure parts: the scrape budget, --listen parsing and the slot limiter. */
import { describe, expect, it } from "vitest";
import { probeBudgetMs } from "../../checks/serve/http-server.js";
import { Limiter } from "../../checks/serve/limiter.js";
import { parseListen } from "../../cli/serve.js";

describe("probeBudgetMs", () => {
  it("is the scrape timeout minus 0.5 s, never below half of it; 9.5 s without the header", () => {
    expect(probeBudgetMs(undefined)).toBe(9_500);
    expect(probeBudgetMs("10")).toBe(9_500);
    expect(probeBudgetMs("0.6")).toBe(300);
    expect(probeBudgetMs("2.5")).toBe(2_000);
    for (const bad of ["", "soon", "-1", "0", "NaN", "Infinity"]) expect(probeBudgetMs(bad), bad).toBeUndefined();
  });
});

describe("parseListen", () => {
  it("takes HOST:PORT and [IPv6]:PORT", () => {
    expect(parseListen("127.0.0.1:9469")).toEqual({ host: "127.0.0.1", port: 9469 });
    expect(parseListen("[::1]:0")).toEqual({ host: "::1", port: 0 });
    expect(parseListen("localhost:80")).toEqual({ host: "localhost", port: 80 });
    for (const bad of [":9469", "9469", "[::1]", "[nope]:1", "a:b:1", "host:65536"])
      expect(() => parseListen(bad), bad).toThrow(/--listen/);
  });
});

describe("Limiter", () => {
  it("grants up to the limit, queues the rest in order and lets a waiter give up at its deadline or on abort", async () => {
    const l = new Limiter(1);
    expect(await l.acquire(10)).toBe(true);
    const order: string[] = [];
    const a = l.acquire(60_000).then((ok) => {
      order.push(`a ${ok}`);
    });
    const b = l.acquire(60_000).then((ok) => {
      order.push(`b ${ok}`);
    });
    const stop = new AbortController();
    const c = l.acquire(60_000, stop.signal);
    expect(l.queued).toBe(3);
    stop.abort();
    expect(await c).toBe(false);
    expect(await l.acquire(1)).toBe(false);
    l.release();
    await a;
    l.release();
    await b;
    expect(order).toEqual(["a true", "b true"]);
    expect(l.inFlight).toBe(1);
    expect(l.queued).toBe(0);
  });
});
