/**
 * util/progress: the progress line is drawn only on a TTY, never in CI, on a dumb terminal or with
 * --quiet, and only once the run has lasted `afterMs`; done() erases it so output starts clean.
 * The stream is a real Writable that says it is a TTY (what process.stderr is in a terminal).
 */
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createProgress, progressEnabled, setVerbosity } from "../../util/progress.js";

function tty(isTTY = true): { stream: NodeJS.WriteStream; written: () => string } {
  let out = "";
  const w = new Writable({
    write(chunk, _enc, cb) {
      out += String(chunk);
      cb();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(w, { isTTY, columns: 40 });
  return { stream: w, written: () => out };
}

afterEach(() => setVerbosity("normal"));

describe("progress", () => {
  it("is enabled only on a TTY, outside CI, on a capable terminal and without --quiet", () => {
    expect(progressEnabled(tty().stream, {})).toBe(true);
    expect(progressEnabled(tty(false).stream, {})).toBe(false);
    expect(progressEnabled(tty().stream, { CI: "true" })).toBe(false);
    expect(progressEnabled(tty().stream, { TERM: "dumb" })).toBe(false);
    setVerbosity("quiet");
    expect(progressEnabled(tty().stream, {})).toBe(false);
  });

  it("draws one line in place once the delay has passed, cut to the terminal's width, and erases it", async () => {
    const { stream, written } = tty();
    const p = createProgress("tollgate check", { stream, env: {}, afterMs: 0 });
    p.update(1, 4, "loading a fairly long note that will not fit");
    await new Promise((r) => setImmediate(r));
    const drawn = written();
    expect(drawn).toMatch(/^\r\x1b\[2Ktollgate check 25% \(1\/4\)/);
    expect(drawn.slice("\r\x1b[2K".length).length).toBeLessThanOrEqual(39);
    p.done();
    expect(written().endsWith("\r\x1b[2K")).toBe(true);
  });

  it("a run that ends before the delay writes nothing; without a TTY nothing is ever written", async () => {
    const early = tty();
    const p = createProgress("tollgate validate", { stream: early.stream, env: {}, afterMs: 600_000 });
    p.update(3, 4);
    p.done();
    const piped = tty(false);
    const q = createProgress("tollgate validate", { stream: piped.stream, env: {}, afterMs: 0 });
    q.update(1, 2);
    await new Promise((r) => setImmediate(r));
    q.done();
    expect(early.written()).toBe("");
    expect(piped.written()).toBe("");
  });
});

describe("check's sub-steps", () => {
  it("move through every file loaded and every policy run, in order, ending complete", async () => {
    const { assess } = await import("../../assess/readiness.js");
    const { REPO, NOW } = await import("../helpers/project.js");
    const steps: string[] = [];
    const { project, report } = await assess(REPO, {
      now: NOW,
      progress: (note, done, total) => steps.push(`${note} ${done}/${total}`),
    });
    const files = project.files.length;
    const loading = steps.filter((s) => s.startsWith("loading manifests"));
    expect(loading).toEqual(Array.from({ length: files + 1 }, (_, i) => `loading manifests ${i}/${files}`));
    const policies = report!.rules.filter((r) => r.enabled && !r.id.startsWith("waiver-")).length;
    expect(steps.filter((s) => s.startsWith("running policies"))).toEqual([
      `running policies 0/${policies}`,
      `running policies ${policies}/${policies}`,
    ]);
    expect(steps.indexOf(`loading manifests ${files}/${files}`)).toBeLessThan(
      steps.indexOf(`running policies 0/${policies}`),
    );
  }, 120_000);
});
