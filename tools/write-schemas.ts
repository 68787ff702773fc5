/** `npm run schemas`: regenerates schemas/*.schema.json (a test fails when they drift). */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../util/atomic-write.js";
import { renderSchemas } from "./json-schema.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
for (const [name, text] of renderSchemas()) {
  await writeFileAtomic(path.join(root, "schemas", name), text);
  console.log(`wrote schemas/${name}`);
}
