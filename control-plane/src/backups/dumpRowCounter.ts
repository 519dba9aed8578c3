import { Transform, type TransformCallback } from "node:stream";

const NEWLINE = 0x0a;
const QUOTE = 0x27; // '
const BACKSLASH = 0x5c;
const OPEN = 0x28; // (
const CREATE_TABLE = Buffer.from("CREATE TABLE `");
const INSERT_INTO = Buffer.from("INSERT INTO `");
const BACKTICK = 0x60;
const SEMICOLON = 0x3b;
const VALUES = Buffer.from(" VALUES");

/**
 * Passes a `mariadb-dump` stream through unchanged while counting the rows it holds per table:
 * every `CREATE TABLE` names a table (zero rows until proven otherwise), every tuple of an
 * `INSERT INTO … VALUES (…),(…);` statement is a row (MariaDB 10.11 puts each tuple on a line
 * of its own, older dumps all on one line). Strings are quoted with `'` and backslash escapes;
 * outside quotes a `(` only ever opens a tuple and a `;` ends the statement.
 * So the counts describe exactly the snapshot that was dumped.
 */
export class DumpRowCounter extends Transform {
  readonly rows = new Map<string, number>();
  #line: Buffer[] = [];
  #lineBytes = 0;
  /** The table of the INSERT statement being read, until its `;`. */
  #table: string | undefined;
  #quoted = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end === -1) {
        if (start < chunk.length) {
          this.#line.push(chunk.subarray(start));
          this.#lineBytes += chunk.length - start;
        }
        break;
      }
      const piece = chunk.subarray(start, end);
      if (this.#lineBytes > 0) {
        this.#line.push(piece);
        this.#countLine(Buffer.concat(this.#line));
        this.#line = [];
        this.#lineBytes = 0;
      } else {
        this.#countLine(piece);
      }
      start = end + 1;
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.#lineBytes > 0) this.#countLine(Buffer.concat(this.#line));
    this.#line = [];
    done();
  }

  #countLine(line: Buffer): void {
    if (this.#table !== undefined) {
      this.#scan(line, 0);
      return;
    }
    if (startsWith(line, CREATE_TABLE)) {
      const table = nameAfter(line, CREATE_TABLE.length);
      if (table !== undefined && !this.rows.has(table)) this.rows.set(table, 0);
      return;
    }
    if (!startsWith(line, INSERT_INTO)) return;
    const table = nameAfter(line, INSERT_INTO.length);
    if (table === undefined) return;
    const valuesAt = line.indexOf(VALUES, INSERT_INTO.length + table.length);
    if (valuesAt === -1) return;
    this.#table = table;
    this.#quoted = false;
    this.#scan(line, valuesAt + VALUES.length);
  }

  /** Counts tuples of the current INSERT until its `;` (rows may sit on lines of their own). */
  #scan(line: Buffer, from: number): void {
    const table = this.#table as string;
    const result = countTuples(line, from, this.#quoted);
    this.rows.set(table, (this.rows.get(table) ?? 0) + result.count);
    this.#quoted = result.quoted;
    if (result.ended) this.#table = undefined;
  }
}

function startsWith(line: Buffer, prefix: Buffer): boolean {
  return (
    line.length >= prefix.length && line.compare(prefix, 0, prefix.length, 0, prefix.length) === 0
  );
}

function nameAfter(line: Buffer, from: number): string | undefined {
  const end = line.indexOf(BACKTICK, from);
  return end === -1 ? undefined : line.toString("utf8", from, end);
}

/**
 * Counts `(` outside single-quoted strings (with backslash escapes) from `from` on, stopping at
 * a `;` outside quotes (the end of the statement).
 */
export function countTuples(
  line: Uint8Array,
  from: number,
  quotedAtStart = false,
): { count: number; ended: boolean; quoted: boolean } {
  let count = 0;
  let quoted = quotedAtStart;
  for (let index = from; index < line.length; index++) {
    const byte = line[index];
    if (quoted) {
      if (byte === BACKSLASH) index++;
      else if (byte === QUOTE) quoted = false;
    } else if (byte === QUOTE) quoted = true;
    else if (byte === OPEN) count++;
    else if (byte === SEMICOLON) return { count, ended: true, quoted };
  }
  return { count, ended: false, quoted };
}
