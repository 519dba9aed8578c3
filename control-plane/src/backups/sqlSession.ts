import { randomBytes } from "node:crypto";
import { PassThrough, Writable } from "node:stream";
import type Docker from "dockerode";
import { execStreaming, type StreamedExec } from "../orchestration/containerStreams.js";

/**
 * One long-lived `mariadb` client session inside a container (as OS user mysql over the unix
 * socket: no password anywhere), for statements that must share a connection: a global read
 * lock and the transaction whose snapshot the row counts are read from (ADR 0004).
 * Statements go in on stdin; each batch ends with a unique marker row, so `query` knows where
 * its output ends. The client stops at the first error; pending and later queries then reject
 * with its message.
 */
export class SqlSession {
  readonly #input = new PassThrough();
  readonly #done: Promise<StreamedExec>;
  #buffer = "";
  #lines: string[] = [];
  #pending: {
    marker: string;
    resolve: (rows: string[][]) => void;
    reject: (error: Error) => void;
  }[] = [];
  #failure: Error | undefined;

  private constructor(docker: Docker, container: string) {
    // A write after the client exited must not become an unhandled 'error' event.
    this.#input.on("error", () => undefined);
    const output = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.#receive(chunk.toString("utf8"));
        callback();
      },
    });
    this.#done = execStreaming(
      docker,
      container,
      ["mariadb", "--batch", "--skip-column-names", "--unbuffered", "--raw"],
      { stdin: this.#input, stdout: output },
    );
    this.#done.then(
      (result) =>
        this.#fail(
          new Error(
            result.exitCode === 0
              ? "the SQL session ended early"
              : `the SQL session failed: ${result.stderr.trim().slice(0, 500) || `exit code ${result.exitCode}`}`,
          ),
        ),
      (error: unknown) => this.#fail(error as Error),
    );
  }

  /** Opens a session in a running container. */
  static open(docker: Docker, container: string): SqlSession {
    return new SqlSession(docker, container);
  }

  /** Runs one or more `;`-separated statements; resolves with the rows they print. */
  query(sql: string): Promise<string[][]> {
    if (this.#failure) return Promise.reject(this.#failure);
    const marker = `atende-end-${randomBytes(6).toString("hex")}`;
    return new Promise((resolve, reject) => {
      this.#pending.push({ marker, resolve, reject });
      this.#input.write(`${sql.trim().replace(/;$/, "")};\nSELECT '${marker}';\n`);
    });
  }

  /** Ends the session (the server rolls back an open transaction and releases its locks). */
  async close(): Promise<void> {
    if (!this.#input.destroyed) this.#input.end();
    await this.#done.catch(() => undefined);
  }

  #receive(text: string): void {
    this.#buffer += text;
    const lines = this.#buffer.split("\n");
    this.#buffer = lines.pop() ?? "";
    for (const line of lines) {
      const current = this.#pending[0];
      if (current && line === current.marker) {
        this.#pending.shift();
        current.resolve(this.#lines.map((row) => row.split("\t")));
        this.#lines = [];
      } else {
        this.#lines.push(line);
      }
    }
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const pending of this.#pending.splice(0)) pending.reject(this.#failure);
  }
}

/** A single-quoted SQL string literal (default sql_mode: backslash escapes on). */
export function sqlString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

/** A backtick-quoted SQL identifier. */
export function sqlIdentifier(value: string): string {
  return `\`${value.replace(/`/g, "``")}\``;
}
