/**
 * The smoke call's structuredContent against the tool's declared outputSchema (JSON Schema
 * 2020-12, what MCP tools declare), with ajv: a tool that answers but breaks its own contract is a
 * failing tool. Returns why it does not match, or undefined when it does (or declares nothing).
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

let ajv: Ajv2020 | undefined;

function validator(): Ajv2020 {
  if (!ajv) {
    // strict off: servers' schemas carry keywords ajv does not know (x-*, examples); they are not errors.
    ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  }
  return ajv;
}

export function checkStructuredContent(outputSchema: unknown, structured: unknown): string | undefined {
  if (!outputSchema || typeof outputSchema !== "object") return undefined;
  if (structured === undefined) return "declares an outputSchema but returned no structuredContent";
  let validate;
  try {
    validate = validator().compile(outputSchema as object);
  } catch (e) {
    return `its outputSchema cannot be compiled: ${(e as Error).message}`;
  }
  const ok = validate(structured);
  // ajv keeps every compiled schema; a long-running exporter must not.
  validator().removeSchema(outputSchema as object);
  if (ok) return undefined;
  const errors = (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`);
  return `structuredContent does not match its outputSchema: ${errors.join("; ")}`;
}
