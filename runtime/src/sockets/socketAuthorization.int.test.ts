import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Permission } from "../../contracts/permissions.js";
import type { EventsReplay } from "../../contracts/socket-events.js";
import { signIn } from "../test/api.js";
import { insertContact } from "../test/factories.js";
import { insertOnePermissionRoles, matrixRoleCases } from "../test/roles.js";
import { type ClientSocket, openSocket } from "../test/sockets.js";
import {
  createTestComponents,
  getTestServer,
  type TestComponents,
  type TestServer,
} from "../test/support.js";
import { onEachEvent } from "./onEachEvent.js";
import {
  eventAudience,
  type TenantEventData,
  type TenantEventName,
  TenantEventPublisher,
} from "./tenantEvents.js";

/**
 * The socket half of the authorisation matrix: every server → client event, published once
 * about an unassigned conversation in the general queue, and every client command, for each
 * built-in role and each one-permission role.
 */

let components: TestComponents;
let server: TestServer;
const clients: ClientSocket[] = [];
let conversationId: number;
let contactId: number;

beforeAll(async () => {
  components = await createTestComponents();
  server = await getTestServer(components);
  await insertOnePermissionRoles(components.db);
  contactId = await insertContact(components.db, components.env, {
    waId: "5511900001111",
    name: "C",
  });
  const [conversation] = await components
    .db("conversations")
    .insert({ contact_id: contactId, status: "open" });
  conversationId = conversation as number;
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server?.close();
  await components?.cleanup();
});

/** A connected socket of a new user with `role`, recording every event it receives. */
async function socketOf(role: string): Promise<{ client: ClientSocket; received: Set<string> }> {
  const { cookie } = await signIn(server.url, components.db, { role, name: `User ${role}` });
  const { client, ready } = openSocket(server.url, cookie);
  clients.push(client);
  await ready;
  const received = new Set<string>();
  onEachEvent(client, (event) => received.add(event));
  return { client, received };
}

function command(client: ClientSocket, name: string, payload: unknown): Promise<unknown> {
  return (
    client.timeout(5_000).emitWithAck as (name: string, payload: unknown) => Promise<unknown>
  )(name, payload);
}

/** One realistic payload per event, about the test's conversation. */
function sample(): { [E in TenantEventName]: TenantEventData<E> } {
  const message = {
    id: 1,
    conversationId,
    direction: "inbound" as const,
    wamid: "wamid.X",
    type: "text",
    content: { type: "text" as const, body: "Oi" },
    replyToWamid: null,
    status: null,
    failureReason: null,
    sentByUserId: null,
    clientKey: null,
    media: null,
    sentAt: new Date().toISOString(),
  };
  return {
    "presence:updated": { userId: 1, status: "online" },
    "message:created": { message, contactId } as TenantEventData<"message:created">,
    "message:statusChanged": {
      messageId: 1,
      conversationId,
      wamid: "wamid.X",
      status: "delivered",
      failureReason: null,
    },
    "message:mediaChanged": {
      messageId: 1,
      conversationId,
      media: { status: "ready", mimeType: "image/png", sizeBytes: 68, error: null },
    },
    "template:statusChanged": { template: {}, previousStatus: null } as never,
    "conversation:changed": {
      conversation: {
        id: conversationId,
        status: "open",
        assignedUserId: null,
        assignee: null,
        queueId: null,
        unreadCount: 0,
        contact: { id: contactId, name: "C", waId: "5511900001111" },
        lastMessageAt: null,
        windowClosesAt: null,
        lastMessage: null,
      } as never,
      change: "status",
      by: null,
      previousAssignedUserId: null,
    },
    "note:created": {
      note: { id: 1, conversationId, author: null, body: "n", createdAt: new Date().toISOString() },
    },
    "contact:changed": { contactId, conversationId },
    "agent:typing": { conversationId, agent: { id: 1, name: "Someone" } },
  };
}

const may = (grants: ReadonlySet<Permission>, ...anyOf: Permission[]) =>
  anyOf.some((permission) => grants.has(permission));

describe("socket authorisation matrix", () => {
  it("answers each command and delivers each event exactly as each role's permissions allow", async () => {
    const sockets = await Promise.all(
      matrixRoleCases.map(async (roleCase) => ({
        ...roleCase,
        ...(await socketOf(roleCase.role)),
      })),
    );
    const publisher = new TenantEventPublisher({ redis: components.redis, env: components.env });
    // A journaled event before the others, to replay from.
    await publisher.publish("message:statusChanged", sample()["message:statusChanged"]);
    await expect
      .poll(() => sockets.filter(({ received }) => received.has("message:statusChanged")).length)
      .toBeGreaterThan(0);
    const marker = (await components.redis.xrevrange(
      `${components.env.REDIS_PREFIX}:tenant-events:journal`,
      "+",
      "-",
      "COUNT",
      1,
    )) as Array<[string, string[]]>;
    const markerId = marker[0]?.[0] ?? "";
    for (const { received } of sockets) received.clear();

    // Commands: opening the conversation needs a view permission; typing needs messages.send
    // and seeing the conversation (not_found otherwise: nothing is learnt about it).
    for (const { role, grants, client } of sockets) {
      const viewer = may(grants, "conversations.viewAssigned", "conversations.viewAll");
      expect(await command(client, "conversation:open", { conversationId }), role).toEqual(
        viewer ? { data: null } : { error: "forbidden" },
      );
    }
    for (const { role, grants, client } of sockets) {
      const viewer = may(grants, "conversations.viewAssigned", "conversations.viewAll");
      expect(await command(client, "typing:start", { conversationId }), role).toEqual(
        !grants.has("messages.send")
          ? { error: "forbidden" }
          : viewer
            ? { data: null }
            : { error: "not_found" },
      );
    }

    const data = sample();
    const published = (Object.keys(eventAudience) as TenantEventName[]).filter(
      (event) => event !== "agent:typing",
    );
    for (const event of published) await publisher.publish(event, data[event] as never);

    const expected = (grants: ReadonlySet<Permission>) => {
      const viewer = may(grants, "conversations.viewAssigned", "conversations.viewAll");
      // Others typed in the conversation, and their typing goes to everyone who opened it.
      const events = ["agent:typing", ...published].filter((event) => {
        const { audience } = eventAudience[event as TenantEventName];
        switch (audience.kind) {
          case "everyone":
            return true;
          case "permissions":
            return may(grants, ...audience.anyOf);
          default:
            return viewer;
        }
      });
      return events.sort();
    };
    await expect
      .poll(
        () => sockets.every(({ received, grants }) => received.size >= expected(grants).length),
        { timeout: 5_000 },
      )
      .toBe(true);
    // A moment for any event that should not have come.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const { role, grants, received } of sockets) {
      expect([...received].sort(), role).toEqual(expected(grants));
    }

    // Catch-up replays the same journaled events each role received live.
    for (const { role, grants, client } of sockets) {
      const replay = (await command(client, "events:since", { lastEventId: markerId })) as {
        data: EventsReplay;
      };
      expect(replay.data.complete, role).toBe(true);
      expect(replay.data.events.map(({ name }) => name).sort(), role).toEqual(
        expected(grants).filter((event) => eventAudience[event as TenantEventName].journal),
      );
    }

    // The policy itself, written out for the roles people rely on (the loops above would follow
    // `eventAudience` wherever it went).
    const receivedBy = (role: string) =>
      [...(sockets.find((socket) => socket.role === role)?.received ?? [])].sort();
    const conversationEvents = [
      "agent:typing",
      "contact:changed",
      "conversation:changed",
      "message:created",
      "message:mediaChanged",
      "message:statusChanged",
      "note:created",
    ];
    expect(receivedBy("admin")).toEqual(
      [...conversationEvents, "presence:updated", "template:statusChanged"].sort(),
    );
    expect(receivedBy("manager")).toEqual(receivedBy("admin"));
    expect(receivedBy("agent")).toEqual([...conversationEvents, "presence:updated"].sort());
    expect(receivedBy("only-templates-manage")).toEqual([
      "presence:updated",
      "template:statusChanged",
    ]);
    expect(receivedBy("only-users-manage")).toEqual(["presence:updated"]);
    expect(receivedBy("only-messages-send")).toEqual(["presence:updated"]);
  });
});
