// Preloaded (node --import) into third-party servers that listen on a port without a host
// (server-everything's HTTP transports): binds them to 127.0.0.1 so tests never listen beyond it.
import net from "node:net";

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const portOnly =
    (typeof args[0] === "number" || typeof args[0] === "string") &&
    (args.length === 1 || typeof args[1] === "function");
  if (portOnly) args.splice(1, 0, "127.0.0.1");
  return listen.apply(this, args);
};
