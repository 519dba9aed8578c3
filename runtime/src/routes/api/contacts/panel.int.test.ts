import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ContactPanelPayload } from "../../../../contracts/contacts.js";
import { sessionCookie, signIn as signInAs } from "../../../test/api.js";
import { buildUser, insertContact } from "../../../test/factories.js";
import {
  createTestComponents,
  getTestServer,
  jsonBody,
  type TestComponents,
  type TestServer,
} from "../../../test/support.js";

/**
 * The contact panel (`GET`/`PATCH /api/contacts/:id`): what the inbox shows beside a
 * conversation, only for contacts of conversations the user may see.
 */
let components: TestComponents;
let server: TestServer;
let admin: string;
let agent: string;
let agentId: number;
let manager: string;

async function signIn(role: string): Promise<{ cookie: string; id: number }> {
  const { user, cookie } = await signInAs(server.url, components.db, { role });
  return { cookie, id: user.id };
}

beforeAll(async () => {
  components = await createTestComponents();
  server = await getTestServer(components);
  admin = (await signIn("admin")).cookie;
  manager = (await signIn("manager")).cookie;
  ({ cookie: agent, id: agentId } = await signIn("agent"));
  // An agent who may also edit contacts, to see that editing follows visibility too.
  await components.db("roles").insert({
    key: "editor-agent",
    name: "Editor agent",
    builtin: false,
    permissions: JSON.stringify(["conversations.viewAssigned", "contacts.view", "contacts.edit"]),
  });
}, 30_000);

afterAll(async () => {
  await server?.close();
  await components?.cleanup();
});

let seq = 0;
/** A contact with one conversation (assigned to `assignedUserId`, or waiting). */
async function contactWithConversation(assignedUserId: number | null = null) {
  seq += 1;
  const waId = `5511977${String(seq).padStart(6, "0")}`;
  const contactId = await insertContact(components.db, components.env, {
    waId,
    name: `Cliente ${seq}`,
  });
  await components.db("conversations").insert({
    contact_id: contactId,
    status: "open",
    assigned_user_id: assignedUserId,
  });
  return { contactId: contactId as number, waId };
}

function call(cookie: string, method: string, pathname: string, body?: unknown) {
  return fetch(`${server.url}/api${pathname}`, {
    method,
    headers: { "Content-Type": "application/json", Cookie: cookie },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe("GET /api/contacts/:id", () => {
  it("shows name, number, tags, consent with its history and the conversation count", async () => {
    const { contactId, waId } = await contactWithConversation();
    await components.db("conversations").insert({ contact_id: contactId, status: "resolved" });
    await components.db("contact_tags").insert([
      { contact_id: contactId, tag: "vip" },
      { contact_id: contactId, tag: "atacado" },
    ]);
    await components.db("consent_records").insert([
      {
        contact_id: contactId,
        status: "asked",
        text_version: "v1",
        channel: "whatsapp",
        source: "system",
      },
      {
        contact_id: contactId,
        status: "granted",
        text_version: "v1",
        channel: "whatsapp",
        source: "button",
      },
    ]);
    await components
      .db("contacts")
      .where({ id: contactId })
      .update({ consent_status: "granted", consent_updated_at: new Date() });

    const response = await call(agent, "GET", `/contacts/${contactId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const panel = (await jsonBody(response)).data as unknown as ContactPanelPayload;
    expect(panel).toMatchObject({
      id: contactId,
      name: `Cliente ${seq}`,
      waId,
      tags: ["atacado", "vip"],
      conversationCount: 2,
      consent: { status: "granted" },
    });
    expect(panel.consent.history.map((record) => record.status)).toEqual(["granted", "asked"]);
    expect(panel.consent.history[0]).toMatchObject({
      textVersion: "v1",
      channel: "whatsapp",
      source: "button",
    });
  });

  it("answers 404 for a contact whose conversations the user may not see, as for none at all", async () => {
    const { user: other } = await buildUser(components.db, { role: "agent" });
    const { contactId } = await contactWithConversation(other.id);
    for (const id of [contactId, 999_999]) {
      const response = await call(agent, "GET", `/contacts/${id}`);
      expect(response.status).toBe(404);
      expect((await jsonBody(response)).error).toBe("not_found");
    }
    // Someone who sees every conversation sees it.
    expect((await call(manager, "GET", `/contacts/${contactId}`)).status).toBe(200);
    // Assigned to the agent: visible to them.
    const mine = await contactWithConversation(agentId);
    expect((await call(agent, "GET", `/contacts/${mine.contactId}`)).status).toBe(200);
  });

  it("refuses ids that are not ids", async () => {
    for (const id of ["abc", "-1", "1.5", "99999999999999"]) {
      expect((await call(admin, "GET", `/contacts/${id}`)).status).toBe(400);
    }
  });
});

describe("PATCH /api/contacts/:id", () => {
  it("renames a contact and replaces its tags, collapsing duplicates, and audits field names only", async () => {
    const { contactId } = await contactWithConversation();
    const response = await call(manager, "PATCH", `/contacts/${contactId}`, {
      name: "  Maria da Silva ",
      tags: ["VIP", "vip", "Atacado", "atacadó", " entrega-rápida "],
    });
    expect(response.status).toBe(200);
    const panel = (await jsonBody(response)).data as unknown as ContactPanelPayload;
    expect(panel.name).toBe("Maria da Silva");
    expect(panel.tags).toEqual(["Atacado", "entrega-rápida", "VIP"]);

    const again = await call(manager, "PATCH", `/contacts/${contactId}`, { tags: [] });
    expect(((await jsonBody(again)).data as unknown as ContactPanelPayload).tags).toEqual([]);

    const audit = await components
      .db("activity_log")
      .where({ action: "contacts.update" })
      .orderBy("id");
    const data = audit.map((row) =>
      typeof row.data === "string" ? JSON.parse(row.data) : row.data,
    );
    expect(data[0]).toEqual({ contactId, fields: ["name", "tags"] });
    expect(JSON.stringify(data)).not.toContain("Maria");
  });

  it.each([
    ["an HTML tag name", { tags: ["<script>alert(1)</script>"] }],
    ["a tag with quotes", { tags: ['vip" onmouseover="x'] }],
    ["31 tags", { tags: Array.from({ length: 31 }, (_, index) => `tag${index}`) }],
    ["a 41-character tag", { tags: ["x".repeat(41)] }],
    ["an empty tag", { tags: ["   "] }],
    ["tags that are not strings", { tags: [1, 2] }],
    ["a name with control characters", { name: "Maria\u0000" }],
    ["an empty name", { name: "   " }],
    ["a 256-character name", { name: "a".repeat(256) }],
    ["an unknown field", { consentStatus: "granted" }],
    ["nothing to change", {}],
  ])("refuses %s with 400 and changes nothing", async (_label, body) => {
    const { contactId } = await contactWithConversation();
    await components.db("contact_tags").insert({ contact_id: contactId, tag: "kept" });
    const response = await call(manager, "PATCH", `/contacts/${contactId}`, body);
    expect(response.status).toBe(400);
    expect((await jsonBody(response)).error).toBe("validation_error");
    expect(
      await components.db("contact_tags").where({ contact_id: contactId }).pluck("tag"),
    ).toEqual(["kept"]);
  });

  it("answers 404 to an editor who may not see the contact's conversations, 403 without the permission", async () => {
    const { user: editor, password } = await buildUser(components.db, { role: "editor-agent" });
    const cookie = await sessionCookie(server.url, editor.email, password);
    const hidden = await contactWithConversation(agentId);
    const response = await call(cookie, "PATCH", `/contacts/${hidden.contactId}`, { name: "X" });
    expect(response.status).toBe(404);
    expect(
      (await components.db("contacts").where({ id: hidden.contactId }).first("name")).name,
    ).not.toBe("X");
    const visible = await contactWithConversation();
    expect(
      (await call(cookie, "PATCH", `/contacts/${visible.contactId}`, { name: "Y" })).status,
    ).toBe(200);
    // A plain agent may look, not edit.
    expect(
      (await call(agent, "PATCH", `/contacts/${visible.contactId}`, { name: "Z" })).status,
    ).toBe(403);
  });
});
