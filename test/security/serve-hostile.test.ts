/**
 * `tollgate serve` against hostile clients: a request target that is not a URL is the client's
 * error (400), not an internal error; and a flood of POST /-/reload (unauthenticated when --listen
 * is not loopback) costs one manifest load per burst, not one per request.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Exporter } from "../../checks/serve/exporter.js";
import { copyReferenceOrg, removeDir } from "../helpers/project.js";
import { startServe, type Served } from "../helpers/serve.js";

let root: string;
let served: Served;
beforeAll(async () => {
  root = await copyReferenceOrg();
  served = await startServe(root);
}, 120_000);
afterAll(async () => {
  served?.kill();
  await served?.exited;
  await removeDir(root);
});

function raw(url: string, request: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const c = net.connect(Number(port), "127.0.0.1", () => c.write(request));
    let b = "";
    c.on("data", (d) => (b += d));
    c.on("close", () => resolve(b));
    c.on("error", reject);
  });
}

describe("serve with hostile requests", () => {
  it("answers 400 to a request target that is not a URL", async () => {
    for (const target of ["//[", "http://[", "//a:b@[::"]) {
      const answer = await raw(served.url, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(answer, target).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).not.toContain("internal error");
    }
  }, 60_000);

  it("coalesces a burst of reloads into one load", async () => {
    const exporter = new Exporter({ root, maxConcurrent: 1, environment: {} });
    expect((await exporter.reload()).ok).toBe(true);
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => exporter.reload()));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const total = (await exporter.metrics.reloads.get()).values.reduce((n, v) => n + v.value, 0);
    expect(total).toBeGreaterThanOrEqual(1);
    expect(total).toBeLessThanOrEqual(2);
    exporter.close();
  }, 120_000);
});
