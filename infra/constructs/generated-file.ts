/**
 * A generated config file that travels as a TerraformAsset, with a null_resource whose triggers
 * hold its content hash, so `terraform plan` shows exactly which file changed in a PR.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { AssetType, TerraformAsset } from "cdktf";
import { Resource } from "@cdktf/provider-null/lib/resource/index.js";
import { Construct } from "constructs";

export interface GeneratedFileProps {
  /** Absolute folder the file is written to before the asset copies it next to the stack. */
  stagingDir: string;
  /** Path below stagingDir, e.g. prometheus/rules.yml. */
  relativePath: string;
  content: string;
  kind: string;
}

export class GeneratedFile extends Construct {
  readonly asset: TerraformAsset;
  readonly sha256: string;
  readonly absolutePath: string;

  constructor(scope: Construct, id: string, props: GeneratedFileProps) {
    super(scope, id);
    this.absolutePath = path.join(props.stagingDir, props.relativePath);
    mkdirSync(path.dirname(this.absolutePath), { recursive: true });
    writeFileSync(this.absolutePath, props.content, { mode: props.relativePath.endsWith(".sh") ? 0o755 : 0o644 });
    this.sha256 = createHash("sha256").update(props.content).digest("hex");
    this.asset = new TerraformAsset(this, "asset", { path: this.absolutePath, type: AssetType.FILE });
    new Resource(this, "file", { triggers: { kind: props.kind, file: props.relativePath, asset: this.asset.path, sha256: this.sha256 } });
  }
}
