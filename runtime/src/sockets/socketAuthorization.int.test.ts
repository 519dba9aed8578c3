import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Permission } from "../../contracts/permissions.js";
import type { ClientToServerEvents, ServerToClientEvents } from "../../contracts/socket-events.js";
import { buildUser } from "../test/factories.js";
import { insertOnePermissionRoles, matrixRoleCases } from "../test/roles.js";
import {
  createTestComponents,
  getTestServer,
  type TestComponents,
  type TestServer,
} from "../test/support.js";
import { eventAudience, type TenantEventName, TenantEventPublisher } from "./tenantEvents.js";

/**
 * The socket half of the authorisation matrix: every server → client event, published once, and
 * for each built-in role and each one-permission role, whether its socket receives it.
 */
type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let components: TestComponents;
let server: TestServer;
const clients: ClientSocket[] = [];

beforeAll(async () => {
  components = await createTestComponents();
  server = await getTestServer(components);
  await insertOnePermissionRoles(components.db);
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server?.close();
  await components?.cleanup();
});

/** A connected socket of a new user with `role`, recording every event it receives. */
async function socketOf(role: string): Promise<{ received: Set<string> }> {
  const { user, password } = await buildUser(components.db, { role });
  const response = await fetch(`${server.url}/api/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: user.email, password }),
  });
  const cookie = response.headers.getSetCookie()[0]?.split(";")[0] ?? "";
  const client: ClientSocket = connect(server.url, {
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: { Cookie: cookie },
  });
  clients.push(client);
  await new Promise<void>((resolve, reject) => {
    client.once("connect", resolve);
    client.once("connect_error", reject);
  });
  const received = new Set<string>();
  client.onAny((event: string) => received.add(event));
  return { received };
}

describe("socket authorisation matrix", () => {
  it("delivers each event exactly to the roles whose permissions allow it", async () => {
    const sockets = await Promise.all(
      matrixRoleCases.map(async (roleCase) => ({
        ...roleCase,
        ...(await socketOf(roleCase.role)),
      })),
    );
    const publisher = new TenantEventPublisher({ redis: components.redis, env: components.env });
    const events = Object.keys(eventAudience) as TenantEventName[];
    for (const event of events) await publisher.publish(event, {} as never);

    const expected = (grants: ReadonlySet<Permission>) =>
      events.filter((event) => {
        const audience = eventAudience[event];
        return audience === "everyone" || audience.some((permission) => grants.has(permission));
      });
    await expect
      .poll(
        () => sockets.every(({ received, grants }) => received.size >= expected(grants).length),
        {
          timeout: 5_000,
        },
      )
      .toBe(true);
    // A moment for any event that should not have come.
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const { role, grants, received } of sockets) {
      expect([...received].sort(), role).toEqual(expected(grants).sort());
    }
    // The policy itself, written out for the roles people rely on (the loop above would follow
    // `eventAudience` wherever it went).
    const receivedBy = (role: string) =>
      [...(sockets.find((socket) => socket.role === role)?.received ?? [])].sort();
    expect(receivedBy("admin")).toEqual([
      "message:created",
      "message:statusChanged",
      "presence:updated",
      "template:statusChanged",
    ]);
    expect(receivedBy("manager")).toEqual(receivedBy("admin"));
    expect(receivedBy("agent")).toEqual([
      "message:created",
      "message:statusChanged",
      "presence:updated",
    ]);
    expect(receivedBy("only-templates-manage")).toEqual([
      "presence:updated",
      "template:statusChanged",
    ]);
    expect(receivedBy("only-users-manage")).toEqual(["presence:updated"]);
  });
});
