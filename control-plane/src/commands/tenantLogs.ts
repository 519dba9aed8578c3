import type { Writable } from "node:stream";
import type { ControlPlane } from "../controlPlane.js";
import { AtendeError, tenantNotFound } from "../errors.js";
import { assertDockerReachable, inspectContainer } from "../orchestration/dockerClient.js";
import { names } from "../orchestration/labels.js";
import { demuxToText } from "../orchestration/waitForReady.js";
import { validateTenantName } from "./preflight.js";

export interface TenantLogsProps {
  name: string;
  service?: string;
  follow?: boolean;
  /** Lines from the end to start with. */
  tail?: number;
  stdout: Writable;
  stderr: Writable;
  signal?: AbortSignal;
}

/** Copies one service's logs to the given streams; with `follow`, until the signal aborts or the container stops. */
export async function streamTenantLogs(cp: ControlPlane, props: TenantLogsProps): Promise<void> {
  validateTenantName(props.name);
  const service = props.service ?? "app";
  if (!(await cp.tenants.find(props.name))) throw tenantNotFound(props.name);
  await assertDockerReachable(cp.docker);
  const containerName = names.container(props.name, service);
  const info = await inspectContainer(cp.docker, containerName);
  if (!info) {
    throw new AtendeError(
      "tenant_not_found",
      `Tenant "${props.name}" has no ${service} container.`,
      {
        hint: `Services are app, db and redis; \`atende tenant show ${props.name}\` lists what exists.`,
      },
    );
  }
  const container = cp.docker.getContainer(containerName);
  const tail = props.tail ?? 200;
  if (!props.follow) {
    const buffer = (await container.logs({
      stdout: true,
      stderr: true,
      tail,
      follow: false,
    })) as unknown as Buffer;
    props.stdout.write(demuxToText(buffer));
    return;
  }
  const stream = await container.logs({ stdout: true, stderr: true, tail, follow: true });
  cp.docker.modem.demuxStream(stream, props.stdout, props.stderr);
  await new Promise<void>((resolve, reject) => {
    props.signal?.addEventListener("abort", () => {
      (stream as unknown as { destroy(): void }).destroy();
      resolve();
    });
    stream.on("end", resolve);
    stream.on("error", reject);
  });
}
