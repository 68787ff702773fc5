/** What parsing one file needs and where it reports (shared by the loader, its workers and the parse paths). */
import type { DiagnosticCode, Severity } from "../../model/diagnostics.js";
import type { CacheSettings } from "./parse-cache.js";
import type { Location } from "../source-map.js";

export interface ReaderConfig {
  realRoot: string;
  displayBase: string;
  maxBytes: number;
  maxDepth: number;
  /** `--cache`: where parsed files are kept and the salt folded into their keys (plain data: it crosses to workers). */
  cache?: CacheSettings | undefined;
}

/** Where parseFile reports: the loader's collector in-thread, a plain list in a worker. */
export interface FileOutput {
  add(code: DiagnosticCode, loc: Location, message: string, hint?: string, severity?: Severity): void;
  rememberSecret(value: string): void;
}
