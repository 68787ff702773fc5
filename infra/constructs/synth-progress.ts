/**
 * How GeneratedFile tells the running synthesis that a file (or a chunk of a large one) was
 * written, without threading a callback through every construct: the listener belongs to the
 * App, found from any construct in its tree.
 */
import { Node, type IConstruct } from "constructs";

export type FileListener = (file: string, finished: boolean) => void;

const listeners = new WeakMap<IConstruct, FileListener>();

/** Report every generated file of this app (tree root) to `listener`. */
export function onFileWritten(app: IConstruct, listener: FileListener): void {
  listeners.set(app, listener);
}

export function fileWritten(scope: IConstruct, file: string, finished: boolean): void {
  listeners.get(Node.of(scope).root)?.(file, finished);
}
