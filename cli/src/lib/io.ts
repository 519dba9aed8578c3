import type { Writable } from "node:stream";

/**
 * The terminal a command talks to. Commands never touch `process` directly, so tests give
 * them buffers and an environment of their own.
 */
export interface Io {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  /** True when a person can answer prompts. */
  interactive: boolean;
  env: Record<string, string | undefined>;
  /** Everything on standard input (for secrets passed as `-`, which keeps them off argv). */
  readStdin(): Promise<string>;
}

/** The real terminal. */
export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY) && process.env.CI !== "true",
    env: process.env,
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}
