/** A node http(s) server on a free 127.0.0.1 port whose close() also ends open sockets. */
import http from "node:http";
import type https from "node:https";
import type { AddressInfo } from "node:net";

export interface Running {
  url: string;
  port: number;
  close: () => Promise<void>;
}

export function listen(server: http.Server | https.Server, scheme = "http"): Promise<Running> {
  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `${scheme}://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

export function startHttp(handler: http.RequestListener): Promise<Running> {
  return listen(http.createServer(handler));
}
