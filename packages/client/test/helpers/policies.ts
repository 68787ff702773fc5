/** The reference organization's client policies, exactly as `tollgate synth` writes them. */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ApiPolicy, ClientPolicyFile } from "@tollgate/client";
import { apiClientPolicy } from "../../../../infra/generate/client-policies.js";
import { loadProject } from "../../../../load/loader.js";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");

export async function policiesOf(root: string = REPO): Promise<ClientPolicyFile> {
  const { project, ok, diagnostics } = await loadProject(root, { now: "2026-11-24" });
  if (!ok) throw new Error(`manifests invalid: ${diagnostics.map((d) => d.message).join("; ")}`);
  const apis: Record<string, ApiPolicy> = {};
  for (const [name, a] of project.model.apis) apis[name] = apiClientPolicy(a) as unknown as ApiPolicy;
  return { environment: "production", apis };
}
