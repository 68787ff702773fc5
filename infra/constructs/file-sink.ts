/**
 * Writes a generated file from a string or from a sequence of chunks, hashing while it writes, so
 * a large output (a dashboard of 10,000 services is ~60 MB) is never held whole in memory nor read
 * back to be hashed. Plain Node, no cdktf.
 */
import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import path from "node:path";

/**
 * A file's content: one string, or chunks produced lazily and concatenated in order. A chunk may
 * be bytes already (UTF-8) when the producer had to encode anyway.
 */
export type FileContent = string | Iterable<string | Uint8Array>;

export interface WrittenFile {
  /** SHA-256 of the bytes, hex (shown in the plan's triggers). */
  sha256: string;
  /** MD5 of the bytes, as cdktf names assets (upper-case hex), so it need not read the file again. */
  assetHash: string;
  bytes: number;
}

/** Characters collected before one write: big enough for few syscalls, small enough to stay lean. */
const FLUSH_AT = 1 << 20;

export function writeContent(file: string, content: FileContent, mode: number, onChunk?: () => void): WrittenFile {
  mkdirSync(path.dirname(file), { recursive: true });
  const sha = createHash("sha256");
  const md5 = createHash("md5");
  const fd = openSync(file, "w", mode);
  let bytes = 0;
  const write = (buf: Uint8Array) => {
    sha.update(buf);
    md5.update(buf);
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off);
    bytes += buf.length;
  };
  const text = (t: string) => {
    if (t) write(Buffer.from(t, "utf8"));
  };
  try {
    if (typeof content === "string") text(content);
    else {
      let pending: string[] = [];
      let size = 0;
      const flush = () => {
        text(pending.join(""));
        pending = [];
        size = 0;
        onChunk?.();
      };
      for (const chunk of content) {
        if (typeof chunk !== "string") {
          flush();
          write(chunk);
          continue;
        }
        pending.push(chunk);
        size += chunk.length;
        if (size >= FLUSH_AT) flush();
      }
      flush();
    }
  } finally {
    closeSync(fd);
  }
  return { sha256: sha.digest("hex"), assetHash: md5.digest("hex").toUpperCase(), bytes };
}
