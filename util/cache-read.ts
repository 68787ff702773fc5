/**
 * Reads a file Tollgate wrote into its cache folder, refusing anything else: the last component is
 * opened with O_NOFOLLOW (a planted link is not followed) and O_NONBLOCK (a planted FIFO does not
 * block the run), and the open descriptor must be a regular file. Anything else reads as absent.
 */
import { constants } from "node:fs";
import { open } from "node:fs/promises";

const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** The file's bytes (at most `limit` from its start when given), or undefined when it is not a plain regular file. */
export async function readCacheFile(file: string, limit?: number): Promise<Buffer | undefined> {
  const fh = await open(file, FLAGS).catch(() => undefined);
  if (!fh) return undefined;
  try {
    if (!(await fh.stat()).isFile()) return undefined;
    if (limit === undefined) return await fh.readFile();
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(limit), 0, limit, 0);
    return buffer.subarray(0, bytesRead);
  } catch {
    return undefined;
  } finally {
    await fh.close();
  }
}
