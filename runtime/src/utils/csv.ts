/**
 * One CSV cell (RFC 4180): quoted when needed, quotes doubled. Cells a spreadsheet would run as
 * a formula (starting with = + - @ or a tab/CR) get a leading apostrophe (CSV injection, OWASP).
 */
export function csvCell(value: unknown): string {
  let text =
    value === null || value === undefined
      ? ""
      : typeof value === "object"
        ? JSON.stringify(value)
        : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line from cells, CRLF-terminated. */
export const csvLine = (cells: readonly unknown[]): string => `${cells.map(csvCell).join(",")}\r\n`;
