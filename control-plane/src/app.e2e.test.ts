import { randomBytes } from "node:crypto";
import { io as connectSocket, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  OperationStartedPayload,
  TenantDetailPayload,
  TenantStatsPayload,
} from "./contracts/api.js";
import type {
  ClientToServerEvents,
  OperationFinishedPayload,
  OperationProgressedPayload,
  ServerToClientEvents,
  TenantCreatedPayload,
} from "./contracts/socket-events.js";
import { findTenantObjects } from "./orchestration/tenantResources.js";
import { startTestApi, type TestApi } from "./test/apiSupport.js";

// A real tenant created, stopped, started and destroyed through the API on the real Docker
// engine, with the live steps received over Socket.IO.
const tenant = `cpapi-${randomBytes(3).toString("hex")}`;
const low = 20000 + Math.floor(Math.random() * 20000);
let api: TestApi;
let cookie: string;
let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
const progressed: OperationProgressedPayload[] = [];
const finished: OperationFinishedPayload[] = [];
const created: TenantCreatedPayload[] = [];

beforeAll(async () => {
  api = await startTestApi({
    env: {
      DOCKER_HOST: "unix:///var/run/docker.sock",
      ATENDE_PORT_RANGE: `${low}-${low + 200}`,
    },
  });
  cookie = await api.signIn("owner");
  socket = connectSocket(api.url, {
    transports: ["websocket"],
    extraHeaders: { cookie },
    reconnection: false,
  });
  socket.on("operation:progressed", (event) => progressed.push(event));
  socket.on("operation:finished", (event) => finished.push(event));
  socket.on("tenant:created", (event) => created.push(event));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
});

afterAll(async () => {
  socket?.close();
  // Whatever happened above, leave nothing behind.
  const objects = await findTenantObjects(api.cp.docker, tenant).catch(() => undefined);
  if (objects && objects.containers.length + objects.volumes.length + objects.networks.length > 0) {
    await api.request("DELETE", `/api/tenants/${tenant}`, { cookie, body: { confirm: tenant } });
  }
  await api?.dispose();
});

async function run(
  method: string,
  path: string,
  body?: unknown,
): Promise<OperationFinishedPayload> {
  const response = await api.request(method, path, { cookie, ...(body ? { body } : {}) });
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  const { operationId } = response.body.data as OperationStartedPayload;
  for (let i = 0; i < 3000; i++) {
    const end = finished.find((event) => event.operationId === operationId);
    if (end) return end;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${method} ${path} did not finish`);
}

describe("a tenant's life through the API", () => {
  it("creates it with the same steps as the CLI and hands the one-time password to its creator", async () => {
    const end = await run("POST", "/api/tenants", { name: tenant, adminEmail: "ana@acme.com.br" });
    expect(end).toMatchObject({ status: "succeeded", kind: "create" });
    expect(
      progressed
        .filter((event) => event.operationId === end.operationId && event.state !== "started")
        .map((event) => event.step.id),
    ).toEqual([
      "preflight",
      "register",
      "networks",
      "volumes",
      "containers",
      "start",
      "ready",
      "admin",
    ]);
    expect(created).toEqual([
      expect.objectContaining({
        tenant,
        adminEmail: "ana@acme.com.br",
        oneTimePassword: expect.any(String),
      }),
    ]);
    const detail = (await api.request("GET", `/api/tenants/${tenant}`, { cookie })).body
      .data as TenantDetailPayload;
    expect(detail).toMatchObject({ status: "ready", observed: "running" });
    expect(detail.services.map((service) => service.role).sort()).toEqual(["app", "db", "redis"]);
    expect(detail.operations[0]).toMatchObject({ id: end.operationId, status: "succeeded" });
  });

  it("reports CPU and memory of its running containers", async () => {
    const { status, body } = await api.request("GET", `/api/tenants/${tenant}/stats`, { cookie });
    expect(status).toBe(200);
    const stats = body.data as TenantStatsPayload;
    expect(stats.containers).toHaveLength(3);
    for (const container of stats.containers) {
      expect(container.memoryBytes).toBeGreaterThan(1024 * 1024);
      expect(container.cpuPercent).toBeGreaterThanOrEqual(0);
    }
  });

  it("stops and starts it", async () => {
    expect(await run("POST", `/api/tenants/${tenant}/stop`)).toMatchObject({ status: "succeeded" });
    const stopped = (await api.request("GET", `/api/tenants/${tenant}`, { cookie })).body
      .data as TenantDetailPayload;
    expect(stopped).toMatchObject({ status: "stopped", observed: "stopped" });
    expect(await run("POST", `/api/tenants/${tenant}/start`)).toMatchObject({
      status: "succeeded",
    });
  });

  it("destroys it after the name is repeated, leaving nothing in Docker", async () => {
    expect(await run("DELETE", `/api/tenants/${tenant}`, { confirm: tenant })).toMatchObject({
      status: "succeeded",
    });
    const objects = await findTenantObjects(api.cp.docker, tenant);
    expect(objects.containers.length + objects.networks.length + objects.volumes.length).toBe(0);
    expect((await api.request("GET", `/api/tenants/${tenant}`, { cookie })).status).toBe(404);
  });
});
