/** Walks zod 4 schema definitions so diagnostics can list the keys a mapping accepts. */
import type { z } from "zod";

type Def = { type: string; [k: string]: any };
const defOf = (s: z.ZodType): Def => (s as any)._zod.def as Def;
const WRAPPERS = new Set(["optional", "default", "nullable", "prefault", "readonly", "catch", "nonoptional"]);

function unwrap(s: z.ZodType): z.ZodType {
  for (;;) {
    const d = defOf(s);
    if (WRAPPERS.has(d.type)) s = d.innerType;
    else if (d.type === "pipe") s = d.in;
    else if (d.type === "lazy") s = d.getter();
    else return s;
  }
}

export function schemaAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodType[] {
  let current: z.ZodType[] = [root];
  for (const seg of path) {
    const next: z.ZodType[] = [];
    for (const s of current) {
      const u = unwrap(s);
      const d = defOf(u);
      if (d.type === "object" && typeof seg === "string" && seg in d.shape) next.push(d.shape[seg]);
      else if (d.type === "record") next.push(d.valueType);
      else if (d.type === "array" && typeof seg === "number") next.push(d.element);
      else if (d.type === "union") for (const o of d.options) next.push(...schemaAt(o, [seg]));
    }
    current = next;
  }
  return current;
}

export function knownKeys(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  const keys = new Set<string>();
  for (const s of schemaAt(root, path)) {
    const u = unwrap(s);
    const d = defOf(u);
    if (d.type === "object") for (const k of Object.keys(d.shape)) keys.add(k);
    if (d.type === "union")
      for (const o of d.options) {
        const od = defOf(unwrap(o));
        if (od.type === "object") for (const k of Object.keys(od.shape)) keys.add(k);
      }
  }
  return [...keys].sort();
}
