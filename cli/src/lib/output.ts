import { AtendeError } from "@atende/control-plane";
import type { Io } from "./io.js";

/** Writes a JSON document on stdout (for `--json`). */
export function printJson(io: Io, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints an error: what happened, then what to do. With --json, also a JSON document on stdout. */
export function printError(
  io: Io,
  error: unknown,
  options: { json: boolean; debug: boolean },
): void {
  const known = error instanceof AtendeError;
  const message = known
    ? error.message
    : `Unexpected error: ${(error as Error)?.message ?? String(error)}`;
  const hint = known
    ? error.hint
    : "This is a bug in atende. Run again with --debug and report the output (remove anything private first).";
  io.stderr.write(`✖ ${message}\n`);
  if (hint) io.stderr.write(`  → ${hint.replace(/\n/g, "\n    ")}\n`);
  if (options.debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  if (options.json) {
    printJson(io, {
      ok: false,
      error: { id: known ? error.id : "internal_error", message, ...(hint ? { hint } : {}) },
    });
  }
}

/** A plain aligned table. */
export function printTable(io: Io, headers: string[], rows: string[][]): void {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  io.stdout.write(`${line(headers)}\n`);
  for (const row of rows) io.stdout.write(`${line(row)}\n`);
}

/** `1.23 s` or `340 ms`. */
export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
