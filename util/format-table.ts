/**
 * One output mechanism for every command: a command's formats are a table of entries (name, what
 * it is for, how it renders), as `check`'s reporter table is (report/registry.ts). The CLI parses
 * `--format` against the table and renders through it instead of switching on the name by hand.
 */
export interface FormatEntry<C> {
  format: string;
  description: string;
  render(ctx: C): string | Promise<string>;
}

export function formatNames<T extends { format: string }>(table: readonly T[]): T["format"][] {
  return table.map((e) => e.format);
}

/** The entry of a format already parsed against the table (a missing one is a bug, not input). */
export function formatEntry<T extends { format: string }>(table: readonly T[], format: string): T {
  const entry = table.find((e) => e.format === format);
  if (!entry) throw new Error(`no ${format} format in this table`);
  return entry;
}
