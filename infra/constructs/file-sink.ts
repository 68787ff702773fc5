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

/** Bytes encoded before one write and hash update: few syscalls, and one buffer reused throughout. */
const BUFFER_BYTES = 4 << 20;
let scratch: Buffer | undefined;

/**
 * Strings are encoded into one reused buffer rather than each into a new one: `Buffer.from` of
 * ~120 MB of dashboard text in fresh buffers cost more than rendering it (page faults and garbage).
 */
export function writeContent(file: string, content: FileContent, mode: number, onChunk?: () => void): WrittenFile {
  mkdirSync(path.dirname(file), { recursive: true });
  const sha = createHash("sha256");
  const md5 = createHash("md5");
  const fd = openSync(file, "w", mode);
  const buf = (scratch ??= Buffer.allocUnsafe(BUFFER_BYTES));
  let bytes = 0;
  let used = 0;
  const write = (b: Uint8Array) => {
    sha.update(b);
    md5.update(b);
    for (let off = 0; off < b.length; ) off += writeSync(fd, b, off);
    bytes += b.length;
  };
  const flush = () => {
    if (used) write(buf.subarray(0, used));
    used = 0;
  };
  const text = (t: string) => {
    // A UTF-8 byte per UTF-16 unit, at most three: the exact length only when it might not fit.
    if (used + t.length * 3 > buf.length && used + Buffer.byteLength(t, "utf8") > buf.length) {
      flush();
      onChunk?.();
      if (t.length * 3 > buf.length && Buffer.byteLength(t, "utf8") > buf.length) {
        write(Buffer.from(t, "utf8"));
        return;
      }
    }
    used += buf.write(t, used, "utf8");
  };
  try {
    if (typeof content === "string") text(content);
    else {
      for (const chunk of content) {
        if (typeof chunk === "string") text(chunk);
        else {
          flush();
          write(chunk);
        }
      }
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return { sha256: sha.digest("hex"), assetHash: md5.digest("hex").toUpperCase(), bytes };
}
