/**
 * Text from manifests, waivers and servers reaches terminals. Control characters (ESC sequences,
 * carriage returns, newlines that would forge extra lines) and bidirectional overrides are shown as
 * visible escapes instead, so input can never repaint, hide or invent output. JSON output needs no
 * help (JSON.stringify escapes C0 controls); this is for the human formats.
 */
// C0 controls, DEL, C1 controls (0x9b is a one-byte CSI), bidi embeddings/overrides/isolates, line/paragraph separators.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\u001b": "\\e" };

export function escapeTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** True when the text holds nothing escapeTerminal would change. */
export function isTerminalSafe(text: string): boolean {
  UNSAFE.lastIndex = 0;
  return !UNSAFE.test(text);
}
