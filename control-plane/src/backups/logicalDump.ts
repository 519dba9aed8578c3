import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type Docker from "dockerode";
import { execStreaming } from "../orchestration/containerStreams.js";
import { DumpRowCounter } from "./dumpRowCounter.js";

/**
 * The format-1 database copy, kept as the fallback for a db container whose image predates
 * mariadb-backup (a tenant created before the images were rebuilt, whose pre-upgrade backup must
 * still work): `mariadb-dump --single-transaction` (one InnoDB snapshot, no lock on writes),
 * with the row counts read from the dump stream itself (ADR 0004).
 */
export async function streamLogicalDump(
  docker: Docker,
  container: string,
  dbName: string,
  sink: Writable,
): Promise<{ tables: Record<string, number>; tool: string }> {
  const version = new TextSink();
  await execStreaming(docker, container, ["mariadb-dump", "--version"], { stdout: version });
  const counter = new DumpRowCounter();
  // No password anywhere: the exec runs as OS user mysql, which is mysql@localhost over the
  // server's unix socket (docker/README.md).
  const [dump] = await Promise.all([
    execStreaming(
      docker,
      container,
      [
        "mariadb-dump",
        "--single-transaction",
        "--quick",
        "--routines",
        "--events",
        "--triggers",
        "--hex-blob",
        "--skip-dump-date",
        "--databases",
        dbName,
      ],
      { stdout: counter },
    ),
    pipeline(counter, sink),
  ]);
  if (dump.exitCode !== 0)
    throw new Error(
      `mariadb-dump exited with code ${dump.exitCode}: ${dump.stderr.trim().slice(0, 500) || "no message"}`,
    );
  return {
    tables: Object.fromEntries([...counter.rows.entries()].sort(([a], [b]) => a.localeCompare(b))),
    tool: version.text.trim() || "mariadb-dump",
  };
}

/** Keeps a small command output as text. */
class TextSink extends Writable {
  readonly #chunks: Buffer[] = [];
  get text(): string {
    return Buffer.concat(this.#chunks).toString("utf8");
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.#chunks.push(chunk);
    done();
  }
}
