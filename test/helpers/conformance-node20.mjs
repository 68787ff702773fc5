// Preloaded (node --import) to run the MCP conformance CLI (@modelcontextprotocol/conformance) on
// Node 20 and on 127.0.0.1 only: its bundle imports fs.globSync (Node 22+) but calls it only for
// paths the client scenarios used here never take, so the import is replaced by a stub that says
// so if reached; and its express scenario servers, which listen on every interface and read their
// port at once, listen on 127.0.0.1 and are awaited (an address with a host is bound async).
import { register } from "node:module";

register(
  "data:text/javascript," +
    encodeURIComponent(`
export async function load(url, context, next) {
  const r = await next(url, context);
  if (!url.includes("@modelcontextprotocol/conformance/dist/index.js")) return r;
  let stub = "";
  const src = String(r.source).replace(/^#!.*\\n/, "")
    .replace(/globSync as ([\\w$]+),/, (_, name) => ((stub = name), ""))
    .replaceAll("this.httpServer=this.app.listen(0),", "this.httpServer=this.app.listen(0,'127.0.0.1'),await new Promise(r=>this.httpServer.listening?r():this.httpServer.once('listening',r)),");
  return { ...r, source: (stub && "const " + stub + "=()=>{throw new Error('fs.globSync needs Node 22')};") + src };
}`),
);
