/**
 * A generated config file that travels as a TerraformAsset, with a null_resource whose triggers
 * hold its content hash, so `terraform plan` shows exactly which file changed in a PR.
 */
import path from "node:path";
import { AssetType, TerraformAsset } from "cdktf";
import { Resource } from "@cdktf/provider-null/lib/resource/index.js";
import { Construct } from "constructs";
import { writeContent, type FileContent } from "./file-sink.js";
import { fileWritten } from "./synth-progress.js";

export interface GeneratedFileProps {
  /** Absolute folder the file is written to before the asset copies it next to the stack. */
  stagingDir: string;
  /** Path below stagingDir, e.g. prometheus/rules.yml. */
  relativePath: string;
  /** The text, or its chunks in order for large files (written and hashed as they come). */
  content: FileContent;
  kind: string;
}

export class GeneratedFile extends Construct {
  readonly asset: TerraformAsset;
  readonly sha256: string;
  readonly absolutePath: string;

  constructor(scope: Construct, id: string, props: GeneratedFileProps) {
    super(scope, id);
    this.absolutePath = path.join(props.stagingDir, props.relativePath);
    const mode = props.relativePath.endsWith(".sh") ? 0o755 : 0o644;
    const written = writeContent(this.absolutePath, props.content, mode, () =>
      fileWritten(this, props.relativePath, false),
    );
    this.sha256 = written.sha256;
    // The hash cdktf would compute by reading the file back (MD5 of its bytes), computed while writing.
    this.asset = new TerraformAsset(this, "asset", {
      path: this.absolutePath,
      type: AssetType.FILE,
      assetHash: written.assetHash,
    });
    new Resource(this, "file", {
      triggers: { kind: props.kind, file: props.relativePath, asset: this.asset.path, sha256: this.sha256 },
    });
    fileWritten(this, props.relativePath, true);
  }
}
