import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Docker from "dockerode";

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/atende.js");

/** The real Docker engine (end-to-end tests use nothing else). */
export const docker = new Docker({ socketPath: "/var/run/docker.sock" });

/** A random tenant name, so concurrent or leftover runs never collide. */
export const randomTenantName = (prefix = "e2e") => `${prefix}-${randomBytes(3).toString("hex")}`;

/** A control-plane home of its own, with ports away from a running demo. */
export async function e2eHome(): Promise<{
  env: Record<string, string>;
  dispose(): Promise<void>;
}> {
  const home = await mkdtemp(path.join(tmpdir(), "atende-e2e-"));
  const low = 20000 + Math.floor(Math.random() * 20000);
  return {
    env: { ATENDE_HOME: home, ATENDE_PORT_RANGE: `${low}-${low + 200}`, ATENDE_LOG_LEVEL: "warn" },
    dispose: () => rm(home, { recursive: true, force: true }),
  };
}

/** Runs the `atende` binary as a user would, in a child process. */
export function atende(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, CI: "true", ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** Everything Docker still holds that is labelled with this tenant. */
export async function leftovers(tenant: string): Promise<string[]> {
  const filters = { label: [`atende.tenant=${tenant}`] };
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return [
    ...containers.map((container) => `container ${container.Names[0]}`),
    ...networks.map((network) => `network ${network.Name}`),
    ...(volumes.Volumes ?? []).map((volume) => `volume ${volume.Name}`),
  ];
}

/**
 * Runs SQL in a tenant's database (as root, inside its db container); returns the output rows,
 * tab-separated, without headers.
 */
export async function sqlInTenant(tenant: string, query: string): Promise<string> {
  const exec = await docker.getContainer(`atende-${tenant}-db`).exec({
    Cmd: ["mariadb", "atende", "--batch", "--skip-column-names", "-e", query],
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
  });
  const stream = await exec.start({ hijack: true, stdin: false, Tty: true });
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  await new Promise((resolve) => stream.on("end", resolve));
  return Buffer.concat(chunks).toString("utf8").trim();
}

/** Runs a Node one-liner inside a tenant's app container; returns its stdout. */
export async function nodeInContainer(
  container: string,
  script: string,
): Promise<{ exitCode: number; output: string }> {
  const exec = await docker
    .getContainer(container)
    .exec({ Cmd: ["node", "-e", script], AttachStdout: true, AttachStderr: true, Tty: true });
  const stream = await exec.start({ hijack: true, stdin: false, Tty: true });
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  await new Promise((resolve) => stream.on("end", resolve));
  let info = await exec.inspect();
  for (let i = 0; i < 50 && info.Running; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    info = await exec.inspect();
  }
  return { exitCode: info.ExitCode ?? -1, output: Buffer.concat(chunks).toString("utf8").trim() };
}

/** A Node script that tries a TCP connection and prints "open", "refused" or "timeout"/error code. */
export const tcpProbe = (host: string, port: number, timeoutMs = 3000) =>
  `const s=require("net").connect({host:${JSON.stringify(host)},port:${port}});` +
  `const t=setTimeout(()=>{console.log("timeout");process.exit(0)},${timeoutMs});` +
  `s.on("connect",()=>{console.log("open");clearTimeout(t);s.destroy()});` +
  `s.on("error",e=>{console.log(e.code||e.message);clearTimeout(t)})`;

/** Logs in over HTTP with the credentials `create` printed; returns the session cookie. */
export async function logIn(
  url: string,
  email: string,
  password: string,
): Promise<{ status: number; cookie: string | undefined; body: unknown }> {
  const response = await fetch(`${url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ email, password }),
  });
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  return { status: response.status, cookie, body: await response.json().catch(() => null) };
}
