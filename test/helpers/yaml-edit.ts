/** Edits YAML the way a person would: through the Document, so comments and layout survive. */
import { readFile, writeFile } from "node:fs/promises";
import { parseDocument } from "yaml";

export async function editYaml(file: string, edit: (doc: ReturnType<typeof parseDocument>) => void): Promise<void> {
  const doc = parseDocument(await readFile(file, "utf8"));
  edit(doc);
  await writeFile(file, doc.toString());
}
