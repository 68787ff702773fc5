/** A provider stand-in on 127.0.0.1 that answers from a script, one entry per request, and counts them. */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export type Step = { status: number; headers?: Record<string, string>; body?: unknown } | "hang" | "reset";

export interface Scripted {
  url: string;
  requests: Array<{ method: string; headers: IncomingMessage["headers"] }>;
  close(): Promise<void>;
}

/** The last step repeats once the script runs out. */
export async function scripted(steps: Step[]): Promise<Scripted> {
  const requests: Scripted["requests"] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", headers: req.headers });
    req.resume();
    const step = steps[Math.min(requests.length - 1, steps.length - 1)] as Step;
    if (step === "hang") return;
    if (step === "reset") return req.socket.destroy();
    res.writeHead(step.status, { "content-type": "application/json", ...step.headers });
    res.end(JSON.stringify(step.body ?? {}));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A clock whose sleeps return at once, moving time forward and recording each delay. */
export class RecordingClock {
  delays: number[] = [];
  timers: Array<{ at: number; fn: () => void }> = [];
  constructor(public t = 0) {}
  now = () => this.t;
  sleep = async (ms: number) => {
    this.delays.push(ms);
    this.t += ms;
  };
  timer = (ms: number, fn: () => void) => {
    const entry = { at: this.t + ms, fn };
    this.timers.push(entry);
    return () => {
      this.timers = this.timers.filter((x) => x !== entry);
    };
  };
  /** Move time forward and fire the timers that came due. */
  pass(ms: number): void {
    this.t += ms;
    const due = this.timers.filter((x) => x.at <= this.t);
    this.timers = this.timers.filter((x) => x.at > this.t);
    for (const x of due) x.fn();
  }
}
