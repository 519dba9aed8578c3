import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn as signInAs } from "../../../test/api.js";
import { buildUser, insertContact } from "../../../test/factories.js";
import {
  createTestComponents,
  getTestServer,
  type TestComponents,
  type TestServer,
} from "../../../test/support.js";

/**
 * LGPD: viewing a person's data is an operation on it. Opening a conversation's messages or a
 * contact's panel leaves one activity-log entry per user, subject and half hour, with who, when,
 * IP and user agent; a refused read leaves none.
 */
let components: TestComponents;
let server: TestServer;
let conversationId: number;
let contactId: number;

async function signIn(role: string): Promise<{ cookie: string; userId: number }> {
  const { user, cookie } = await signInAs(server.url, components.db, { role });
  return { cookie, userId: user.id };
}

const get = (path: string, cookie: string) =>
  fetch(`${server.url}/api${path}`, {
    headers: { Cookie: cookie, "User-Agent": "vitest-view-audit" },
  });

const entries = (action: string, userId: number) =>
  components.db("activity_log").where({ action, actor_user_id: userId }).select("*");

beforeAll(async () => {
  components = await createTestComponents();
  server = await getTestServer(components);
  contactId = await insertContact(components.db, components.env, {
    waId: "5511955550001",
    name: "Cliente Visto",
  });
  const [id] = await components.db("conversations").insert({
    contact_id: contactId,
    status: "open",
  });
  conversationId = Number(id);
});

afterAll(async () => {
  await server?.close();
  await components?.cleanup();
});

describe("viewing personal data is recorded", () => {
  it("records a conversation's messages viewed once per half hour, with IP and user agent", async () => {
    const manager = await signIn("manager");
    for (let page = 0; page < 3; page++) {
      expect((await get(`/conversations/${conversationId}/messages`, manager.cookie)).status).toBe(
        200,
      );
    }
    const recorded = await entries("conversations.view", manager.userId);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ ip: expect.any(String), user_agent: "vitest-view-audit" });
    expect(JSON.stringify(recorded[0].data)).toContain(String(conversationId));
  });

  it("records a contact's panel viewed, and nothing for a read that was refused", async () => {
    const manager = await signIn("manager");
    expect((await get(`/contacts/${contactId}`, manager.cookie)).status).toBe(200);
    expect(await entries("contacts.view", manager.userId)).toHaveLength(1);

    // Assigned to somebody else: an agent may not see it (404), and nothing is recorded.
    const other = await buildUser(components.db, { role: "agent" });
    await components
      .db("conversations")
      .where({ id: conversationId })
      .update({ assigned_user_id: other.user.id });
    const agent = await signIn("agent");
    expect((await get(`/conversations/${conversationId}/messages`, agent.cookie)).status).toBe(404);
    expect((await get(`/contacts/${contactId}`, agent.cookie)).status).toBe(404);
    expect(await entries("conversations.view", agent.userId)).toEqual([]);
    expect(await entries("contacts.view", agent.userId)).toEqual([]);
  });
});
