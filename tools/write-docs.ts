/** `npm run docs`: regenerates the field tables in docs/manifests.md and the policy reference in docs/policies.md (tests fail when they drift). */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../util/atomic-write.js";
import { splicePolicyReference } from "../policies/policy-docs.js";
import { spliceFieldTables } from "./field-docs.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const file = path.join(root, "docs", "manifests.md");
await writeFileAtomic(file, spliceFieldTables(await readFile(file, "utf8")));
console.log("wrote docs/manifests.md field tables");
const policies = path.join(root, "docs", "policies.md");
await writeFileAtomic(policies, splicePolicyReference(await readFile(policies, "utf8")));
console.log("wrote docs/policies.md policy reference");
