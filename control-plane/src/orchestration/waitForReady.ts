import type Docker from "dockerode";
import { AtendeError, operationCancelled, tenantUnhealthy } from "../errors.js";
import { inspectContainer } from "./dockerClient.js";

/**
 * Waits until the tenant's /readyz answers 200 (database and Redis answer, migrations done).
 * Meanwhile it watches the containers, so a crashing or unhealthy one fails the wait at once
 * with its own last words instead of a bare time-out.
 */
export async function waitForReady(
  docker: Docker,
  props: {
    tenant: string;
    readyUrl: string;
    containers: Array<{ role: string; name: string }>;
    timeoutMs: number;
    signal?: AbortSignal;
  },
): Promise<void> {
  const deadline = Date.now() + props.timeoutMs;
  while (Date.now() < deadline) {
    if (props.signal?.aborted) throw operationCancelled(`Waiting for ${props.tenant}`);
    if (await answersReady(props.readyUrl)) return;
    for (const container of props.containers) {
      const problem = await containerProblem(docker, container.name);
      if (problem)
        throw tenantUnhealthy(
          props.tenant,
          container.role,
          `${problem}${await lastWords(docker, container.name)}`,
        );
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  const states = await Promise.all(
    props.containers.map(async (container) => {
      const info = await inspectContainer(docker, container.name);
      return `${container.role}: ${info?.State.Health?.Status ?? info?.State.Status ?? "missing"}`;
    }),
  );
  throw new AtendeError(
    "tenant_start_timeout",
    `Tenant "${props.tenant}" did not become ready within ${Math.round(props.timeoutMs / 1000)} s (${states.join(", ")}).`,
    {
      hint: `Look at \`atende tenant logs ${props.tenant}\`; a slow machine may need a larger ATENDE_READY_TIMEOUT_SECONDS.`,
    },
  );
}

async function answersReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Why a container is not going to become healthy, or undefined while it still may. */
export async function containerProblem(docker: Docker, name: string): Promise<string | undefined> {
  const info = await inspectContainer(docker, name);
  if (!info) return "disappeared";
  const state = info.State;
  if (state.Status === "exited" || state.Status === "dead")
    return `exited with code ${state.ExitCode}`;
  if (state.Status === "restarting" || info.RestartCount > 0)
    return `keeps restarting (exit code ${state.ExitCode})`;
  if (state.Health?.Status === "unhealthy") {
    const last = state.Health.Log?.at(-1)?.Output?.trim();
    return `failed its health check${last ? `: ${last.slice(0, 300)}` : ""}`;
  }
  return undefined;
}

async function lastWords(docker: Docker, name: string): Promise<string> {
  try {
    const buffer = (await docker
      .getContainer(name)
      .logs({ stdout: true, stderr: true, tail: 8 })) as unknown as Buffer;
    const text = demuxToText(buffer).trim();
    return text ? `; its last log lines:\n${text}` : "";
  } catch {
    return "";
  }
}

/** Strips Docker's 8-byte stream frame headers from a non-TTY log buffer. */
export function demuxToText(buffer: Buffer): string {
  const parts: string[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const type = buffer[offset];
    const size = buffer.readUInt32BE(offset + 4);
    if ((type !== 1 && type !== 2) || offset + 8 + size > buffer.length)
      return buffer.toString("utf8");
    parts.push(buffer.subarray(offset + 8, offset + 8 + size).toString("utf8"));
    offset += 8 + size;
  }
  return parts.join("");
}

/** The URL the control plane polls: always the published address, whatever PUBLIC_URL says. */
export function readyUrlOf(record: { publishHost: string; hostPort: number }): string {
  const host = record.publishHost === "0.0.0.0" ? "127.0.0.1" : record.publishHost;
  return `http://${host.includes(":") ? `[${host}]` : host}:${record.hostPort}/readyz`;
}
