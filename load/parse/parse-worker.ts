/**
 * Worker thread for large projects: parses its share of the manifest files with parseFile, sends
 * back plain data and positioned diagnostics, and keeps each Document so positions can be
 * resolved later in one batch.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Diagnostic, DiagnosticCode, Severity } from "../../model/diagnostics.js";
import { DIAGNOSTIC_CODES } from "../../model/diagnostics.js";
import { cacheFor, parseFile, type FileOutput, type ReaderConfig } from "./parse-file.js";
import type { Location, SourceFile } from "../source-map.js";
import { docsUrl } from "../../util/project-url.js";

interface Input {
  config: ReaderConfig;
  files: { id: number; abs: string }[];
}

class ListOutput implements FileOutput {
  readonly diagnostics: Diagnostic[] = [];
  readonly secrets: string[] = [];
  add(code: DiagnosticCode, loc: Location, message: string, hint?: string, severity: Severity = "error"): void {
    this.diagnostics.push({
      code,
      severity,
      message,
      hint: hint ?? `${DIAGNOSTIC_CODES[code]} See ${docsUrl("diagnostics.md", code)}`,
      file: loc.file,
      line: loc.line,
      col: loc.col,
    });
  }
  rememberSecret(value: string): void {
    this.secrets.push(value);
  }
}

const { config, files } = workerData as Input;
const docs = new Map<number, SourceFile>();
const port = parentPort!;

port.on("message", (m: { type: "locate"; batch: number; requests: [number, (string | number)[]][] }) => {
  const positions = m.requests.map(([id, path]) => {
    const loc = docs.get(id)?.locate(path);
    return loc ? [loc.line, loc.col] : [1, 1];
  });
  port.postMessage({ type: "located", batch: m.batch, positions });
});

for (const { id, abs } of files) {
  const out = new ListOutput();
  const parsed = await parseFile(config, abs, out);
  if (parsed) docs.set(id, parsed.src);
  port.postMessage({
    type: "file",
    id,
    ok: !!parsed,
    data: parsed?.data,
    diagnostics: out.diagnostics,
    secrets: out.secrets,
  });
}
port.postMessage({ type: "done", cache: config.cache ? cacheFor(config.cache).stats : undefined });
