import type { Duplex, Readable, Writable } from "node:stream";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import type Docker from "dockerode";

const STDERR_LIMIT = 64 * 1024;

/**
 * Splits Docker's multiplexed exec stream (8-byte frame headers, `Tty:false`) into stdout,
 * passed downstream with backpressure, and stderr, kept (the first 64 KB) for error messages.
 */
export class ExecDemuxer extends Transform {
  #pending: Buffer = Buffer.alloc(0);
  #stderr: Buffer[] = [];
  #stderrBytes = 0;

  get stderr(): string {
    return Buffer.concat(this.#stderr).toString("utf8");
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let buffer = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    while (buffer.length >= 8) {
      const stream = buffer[0];
      const size = buffer.readUInt32BE(4);
      if (buffer.length < 8 + size) break;
      const payload = buffer.subarray(8, 8 + size);
      if (stream === 2) {
        if (this.#stderrBytes < STDERR_LIMIT) {
          this.#stderr.push(Buffer.from(payload));
          this.#stderrBytes += payload.length;
        }
      } else if (stream === 1) {
        this.push(payload);
      }
      buffer = buffer.subarray(8 + size);
    }
    this.#pending = Buffer.from(buffer);
    done();
  }
}

/** Outcome of a streamed exec. */
export interface StreamedExec {
  exitCode: number;
  stderr: string;
}

/**
 * Runs argv in a running container, streaming its stdout into `stdout` (with backpressure, so
 * a 1 GB dump never sits in memory) and, when given, `stdin` into it (its end closes the
 * command's stdin). Secrets go in `env`, never in argv.
 */
export async function execStreaming(
  docker: Docker,
  container: string,
  argv: string[],
  options: { stdin?: Readable; stdout?: Writable; env?: string[] } = {},
): Promise<StreamedExec> {
  const exec = await docker.getContainer(container).exec({
    Cmd: argv,
    AttachStdin: options.stdin !== undefined,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    ...(options.env ? { Env: options.env } : {}),
  });
  const socket = (await exec.start({
    hijack: true,
    stdin: options.stdin !== undefined,
  })) as unknown as Duplex;
  const demuxer = new ExecDemuxer();
  const input = options.stdin;
  const feeding = input
    ? new Promise<void>((resolve, reject) => {
        let ended = false;
        input.on("error", (error) => {
          socket.destroy(error);
          reject(error);
        });
        input.on("end", () => {
          // End only the write side: the command sees EOF on stdin and we keep reading.
          ended = true;
          socket.end();
          resolve();
        });
        // The command exited before reading everything (e.g. an SQL error): stop feeding it.
        socket.on("close", () => {
          if (ended) return;
          input.unpipe(socket);
          input.destroy();
          resolve();
        });
        input.pipe(socket, { end: false });
      })
    : Promise.resolve();
  const sink =
    options.stdout ??
    new Transform({
      transform: (_chunk, _encoding, done) => done(),
    }).resume();
  await Promise.all([pipeline(socket, demuxer, sink), feeding]);
  // The stream ending says nothing about success; the exit code can lag a moment behind it.
  let exitCode: number | null = null;
  for (let attempt = 0; attempt < 100 && exitCode === null; attempt++) {
    const info = await exec.inspect();
    if (!info.Running) exitCode = info.ExitCode;
    else await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { exitCode: exitCode ?? -1, stderr: demuxer.stderr };
}
