import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { main } from "../index.js";
import type { Io } from "../lib/io.js";

/** What a CLI run printed and how it ended. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A throwaway ATENDE_HOME; call `dispose` after the test. */
export async function tempHome(): Promise<{ home: string; dispose(): Promise<void> }> {
  const home = await mkdtemp(path.join(tmpdir(), "atende-cli-test-"));
  return { home, dispose: () => rm(home, { recursive: true, force: true }) };
}

/** Runs `atende <args>` in-process with captured output, as a terminal (`interactive`) or as CI. */
export async function runCli(
  args: string[],
  options: { env: Record<string, string>; interactive?: boolean; stdin?: string },
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (chunk: Buffer) => out.push(chunk));
  stderr.on("data", (chunk: Buffer) => err.push(chunk));
  const io: Io = {
    stdout,
    stderr,
    interactive: options.interactive ?? false,
    env: { ATENDE_LOG_LEVEL: "silent", ...options.env },
    readStdin: async () => options.stdin ?? "",
  };
  const code = await main(["node", "atende", ...args], io);
  return {
    code,
    stdout: Buffer.concat(out).toString("utf8"),
    stderr: Buffer.concat(err).toString("utf8"),
  };
}
