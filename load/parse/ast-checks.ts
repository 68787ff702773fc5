/**
 * Checks on a full yaml Document the fast path never needs (it declines such files): unsupported
 * tags, undefined aliases, depth, duplicate keys (reported, the first kept) and forbidden keys,
 * value-like secrets.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, visit, type Node } from "yaml";
import { looksLikeSecretValue, VALUE_LIKE_KEYS } from "../../redact/secret-scan.js";
import { locateOffset, type DocumentSource } from "../source-map.js";
import type { FileOutput, ReaderConfig } from "./parse-types.js";

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Tags the core schema resolves itself; anything else (!!omap, !!set, !!binary, !custom) is refused. */
const CORE_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`));

/** Every alias must name an anchor defined before it (document order); reported where it is used. */
export function checkAliases(src: DocumentSource, out: FileOutput): boolean {
  const anchors = new Set<string>();
  let ok = true;
  visit(src.doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        if (!anchors.has(node.source)) {
          out.add(
            "yaml-undefined-alias",
            locateOffset(src, node.range?.[0] ?? 0),
            `alias \`*${node.source.slice(0, 64)}\` names no anchor defined before it`,
            "Define the anchor (&name) before using the alias, or write the value out.",
          );
          ok = false;
        }
      } else if (node.anchor) anchors.add(node.anchor);
      return undefined;
    },
  });
  return ok;
}

/** One linear pass over the AST (aliases are not expanded): depth, forbidden keys, value-like secrets. */
export function walkAst(r: ReaderConfig, src: DocumentSource, out: FileOutput): boolean {
  let ok = true;
  const stack: Array<{ node: unknown; depth: number; key: string | undefined }> = [
    { node: src.doc.contents, depth: 1, key: undefined },
  ];
  while (stack.length > 0) {
    const { node, depth, key } = stack.pop()!;
    if (depth > r.maxDepth) {
      const offset = (node as Node)?.range?.[0] ?? 0;
      out.add(
        "nesting-too-deep",
        locateOffset(src, offset),
        `nesting is deeper than ${r.maxDepth} levels`,
        "Manifests are shallow; flatten this structure.",
      );
      return false;
    }
    const tag = (node as Node | undefined)?.tag;
    if (tag !== undefined && !CORE_TAGS.has(tag)) {
      out.add(
        "yaml-unsupported-tag",
        locateOffset(src, (node as Node).range?.[0] ?? 0),
        `tag \`${tag.replace(/^tag:yaml\.org,2002:/, "!!").slice(0, 64)}\` is not supported`,
        "Remove the tag; manifests use plain mappings, lists and scalars.",
      );
      ok = false;
      continue;
    }
    if (isMap(node)) {
      const seen = new Map<string, number>();
      const dropped = new Set<unknown>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        // Keys are checked for tags here; values below when popped.
        const keyTag = (pair.key as Node | null)?.tag;
        if (keyTag !== undefined && !CORE_TAGS.has(keyTag)) {
          out.add(
            "yaml-unsupported-tag",
            locateOffset(src, (pair.key as Node).range?.[0] ?? 0),
            `tag \`${keyTag.replace(/^tag:yaml\.org,2002:/, "!!").slice(0, 64)}\` is not supported`,
            "Remove the tag; manifests use plain mappings, lists and scalars.",
          );
          ok = false;
        }
        const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (k !== undefined) {
          const first = seen.get(k);
          if (first !== undefined) {
            // Reported once, here; the first entry is kept so the rest of the file still loads.
            const firstAt = locateOffset(src, first);
            out.add(
              "yaml-duplicate-key",
              locateOffset(src, (pair.key as Node).range?.[0] ?? 0),
              `key \`${k.slice(0, 64)}\` repeats the one at line ${firstAt.line}; the first is kept, this one ignored`,
              "Remove or rename one of the two entries; most other tools would silently take the second.",
            );
            dropped.add(pair);
          } else seen.set(k, (pair.key as Node).range?.[0] ?? 0);
        }
        if (k !== undefined && FORBIDDEN_KEYS.has(k)) {
          out.add(
            "forbidden-key",
            locateOffset(src, (pair.key as Node).range?.[0] ?? 0),
            `key \`${k}\` is not allowed`,
            "Rename the key; it could alter object prototypes in tools that read this file.",
          );
          ok = false;
        }
        stack.push({ node: pair.value, depth: depth + 1, key: k });
      }
      // Dropped from the document itself, so the data and every position agree on the first entry.
      if (dropped.size) node.items = node.items.filter((pair) => !dropped.has(pair));
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push({ node: item, depth: depth + 1, key });
    } else if (isScalar(node) && typeof node.value === "string" && key !== undefined) {
      if (VALUE_LIKE_KEYS.has(key.toLowerCase()) && looksLikeSecretValue(node.value)) {
        out.rememberSecret(node.value);
        out.add(
          "secret-value",
          locateOffset(src, node.range?.[0] ?? 0),
          `field \`${key}\` holds what looks like a secret value (high entropy); it is not shown`,
          "Reference the secret by name or store path; never paste its value.",
        );
      }
    } else if (isAlias(node)) {
      // aliases are resolved (and counted) by toJS
    }
  }
  return ok;
}
