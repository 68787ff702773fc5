/** How a file is named in diagnostics and findings: relative to the display base, else absolute. Dependency-free (the result cache lists inputs without loading the parser). */
import path from "node:path";

export function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

export function display(r: { displayBase: string }, abs: string): string {
  const rel = path.relative(r.displayBase, abs);
  return toPosix(rel.startsWith("..") || path.isAbsolute(rel) ? abs : rel);
}
