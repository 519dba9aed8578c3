import { PassThrough, type Writable } from "node:stream";
import Docker from "dockerode";
import type { ControlPlaneConfig } from "../config.js";
import { dockerUnavailable } from "../errors.js";

/**
 * The only place a Docker client is constructed. Everything else receives this instance,
 * so a future Swarm or remote-node client slots in here.
 */
export function createDockerClient(config: Pick<ControlPlaneConfig, "DOCKER_HOST">): Docker {
  const url = new URL(config.DOCKER_HOST);
  if (url.protocol === "unix:") return new Docker({ socketPath: url.pathname });
  if (url.protocol === "tcp:" || url.protocol === "http:") {
    return new Docker({ host: url.hostname, port: Number(url.port || 2375), protocol: "http" });
  }
  throw dockerUnavailable(`unsupported DOCKER_HOST ${config.DOCKER_HOST} (use unix:// or tcp://)`);
}

/** Fails with a clear `docker_unavailable` error when the engine does not answer in time. */
export async function assertDockerReachable(docker: Docker, timeoutMs = 5000): Promise<void> {
  try {
    const ping = docker.ping.bind(docker) as unknown as (options: {
      abortSignal: AbortSignal;
    }) => Promise<unknown>;
    await ping({ abortSignal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const detail =
      code === "ENOENT" || code === "ECONNREFUSED"
        ? `nothing listens on ${describeDockerEndpoint(docker)}`
        : code === "EACCES"
          ? `permission denied on ${describeDockerEndpoint(docker)} (run as root or join the docker group)`
          : (error as Error).name === "AbortError" || (error as Error).name === "TimeoutError"
            ? `no answer within ${timeoutMs / 1000} s`
            : (error as Error).message;
    throw dockerUnavailable(detail, error);
  }
}

function describeDockerEndpoint(docker: Docker): string {
  const modem = docker.modem as { socketPath?: string; host?: string; port?: number };
  return modem.socketPath ?? `${modem.host}:${modem.port}`;
}

/** True when a dockerode error is a 404 from the engine. */
export function isNotFound(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 404;
}

/** True when a dockerode error is a 409 conflict (already exists / in use). */
export function isConflict(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 409;
}

/** Inspects a container by exact name, `undefined` when it does not exist. */
export async function inspectContainer(
  docker: Docker,
  name: string,
): Promise<Docker.ContainerInspectInfo | undefined> {
  try {
    return await docker.getContainer(name).inspect();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Result of running a command inside a container. */
export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs argv inside a running container without a TTY, so stdout and stderr stay separate and
 * byte-exact. Secrets go in `stdin` (or `env`), never in argv (argv shows in `ps` and in Docker
 * events); `stdin` is written whole and then closed.
 */
export async function execInContainer(
  docker: Docker,
  container: string,
  argv: string[],
  options: {
    env?: string[];
    stdin?: string;
    stdout?: Writable;
    stderr?: Writable;
    timeoutMs?: number;
  } = {},
): Promise<ExecResult> {
  const withStdin = options.stdin !== undefined;
  const exec = await docker.getContainer(container).exec({
    Cmd: argv,
    AttachStdout: true,
    AttachStderr: true,
    ...(withStdin ? { AttachStdin: true } : {}),
    Tty: false,
    ...(options.env ? { Env: options.env } : {}),
  });
  const stream = await exec.start({ hijack: true, stdin: withStdin });
  // Half-close after writing: the command sees end of input while its output still flows back.
  if (withStdin) stream.end(options.stdin);
  const out = new PassThrough();
  const err = new PassThrough();
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  out.on("data", (chunk: Buffer) =>
    options.stdout ? options.stdout.write(chunk) : stdout.push(chunk),
  );
  err.on("data", (chunk: Buffer) =>
    options.stderr ? options.stderr.write(chunk) : stderr.push(chunk),
  );
  docker.modem.demuxStream(stream, out, err);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stream.destroy();
      reject(
        new Error(
          `command ${argv[0]} in ${container} did not finish within ${(options.timeoutMs ?? 60_000) / 1000} s`,
        ),
      );
    }, options.timeoutMs ?? 60_000);
    stream.on("end", () => {
      clearTimeout(timer);
      resolve();
    });
    stream.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  // The stream ending says nothing about success; the exit code can lag a moment behind it.
  let exitCode: number | null = null;
  for (let attempt = 0; attempt < 50 && exitCode === null; attempt++) {
    const info = await exec.inspect();
    if (!info.Running) exitCode = info.ExitCode;
    else await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    exitCode: exitCode ?? -1,
    stdout: Buffer.concat(stdout).toString("utf8"),
    stderr: Buffer.concat(stderr).toString("utf8"),
  };
}
