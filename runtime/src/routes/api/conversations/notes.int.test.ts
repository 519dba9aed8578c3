import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConversationNotePayload } from "../../../../contracts/conversations.js";
import type { NoteCreated } from "../../../../contracts/socket-events.js";
import { tenantEventsChannel } from "../../../sockets/tenantEvents.js";
import { apiCall, signIn as signInAs } from "../../../test/api.js";
import { insertContact } from "../../../test/factories.js";
import { createTestComponents, type TestComponents } from "../../../test/support.js";
import { startWhatsappStack, type WhatsappStack } from "../../../test/whatsappStack.js";

/** Private notes on a conversation: only users read them, the customer never does. */
let components: TestComponents;
let stack: WhatsappStack;
let subscriber: Redis;
const published: NoteCreated[] = [];
let ana: { id: number; cookie: string };
let bia: { id: number; cookie: string };
let conversationId: number;
const customerWaId = "5511955550001";

async function signIn(name: string): Promise<{ id: number; cookie: string }> {
  const { user, cookie } = await signInAs(stack.server.url, components.db, { role: "agent", name });
  return { id: user.id, cookie };
}

const addNote = (cookie: string, id: number | string, body: unknown) =>
  apiCall(stack.server.url, cookie)("POST", `/conversations/${id}/notes`, body);

const notesOf = (cookie: string, id: number, query = "") =>
  apiCall(stack.server.url, cookie)("GET", `/conversations/${id}/notes${query}`);

beforeAll(async () => {
  components = await createTestComponents();
  stack = await startWhatsappStack(components);
  ana = await signIn("Ana Agente");
  bia = await signIn("Bia Agente");
  const contactId = await insertContact(components.db, components.env, {
    waId: customerWaId,
    name: "Cli",
  });
  const now = new Date();
  const [id] = await components.db("conversations").insert({
    contact_id: contactId,
    status: "open",
    assigned_user_id: ana.id,
    opened_at: now,
    last_message_at: now,
    last_inbound_at: now,
  });
  conversationId = id as number;
  subscriber = components.redis.duplicate();
  subscriber.on("message", (_channel: string, text: string) => {
    const { event, envelope } = JSON.parse(text) as {
      event: string;
      envelope: { data: NoteCreated };
    };
    if (event === "note:created") published.push(envelope.data);
  });
  await subscriber.subscribe(tenantEventsChannel(components.env));
}, 60_000);

afterAll(async () => {
  await subscriber?.quit();
  await stack?.close();
  await components?.cleanup();
});

describe("private notes", () => {
  it("stores a note as typed (HTML is text), lists notes oldest first and never messages the customer", async () => {
    const script = `<script>alert("x")</script> <b>VIP</b> & "aspas"`;
    const first = await addNote(ana.cookie, conversationId, { body: `  ${script}\nlinha 2  ` });
    expect(first.status).toBe(201);
    const note = first.body.data as unknown as ConversationNotePayload;
    expect(note).toMatchObject({
      conversationId,
      author: { id: ana.id, name: "Ana Agente" },
      body: `${script}\nlinha 2`,
    });
    expect((await addNote(ana.cookie, conversationId, { body: "segunda" })).status).toBe(201);

    const listed = await notesOf(ana.cookie, conversationId);
    expect(listed.status).toBe(200);
    const notes = listed.body.data as unknown as ConversationNotePayload[];
    expect(notes.map((item) => item.body)).toEqual([`${script}\nlinha 2`, "segunda"]);
    const after = await notesOf(ana.cookie, conversationId, `?after=${notes[0]?.id}`);
    expect((after.body.data as unknown as ConversationNotePayload[]).map((n) => n.body)).toEqual([
      "segunda",
    ]);

    await expect
      .poll(() => published.map((event) => event.note.body))
      .toEqual([`${script}\nlinha 2`, "segunda"]);
    expect(await components.db("messages").where({ conversation_id: conversationId })).toEqual([]);
    expect(stack.emulator.control.messages({ to: customerWaId })).toEqual([]);
  });

  it("refuses empty, oversized and control-character notes, naming the field", async () => {
    for (const body of [
      { body: "" },
      { body: "   " },
      { body: "x".repeat(4_001) },
      { body: "a\u0000b" },
      { body: "a\u001bb" },
      { body: 42 },
      { body: "ok", extra: 1 },
    ]) {
      const response = await addNote(ana.cookie, conversationId, body);
      expect(response.status, JSON.stringify(body).slice(0, 40)).toBe(400);
    }
    expect((await addNote(ana.cookie, conversationId, { body: "x".repeat(4_000) })).status).toBe(
      201,
    );
  });

  it("hides the notes of a colleague's conversation (404 to read and to write)", async () => {
    expect((await notesOf(bia.cookie, conversationId)).status).toBe(404);
    expect((await addNote(bia.cookie, conversationId, { body: "bisbilhotando" })).status).toBe(404);
    expect(await components.db("conversation_notes").where({ body: "bisbilhotando" })).toHaveLength(
      0,
    );
  });

  it("refuses bad conversation ids and bad paging", async () => {
    expect((await addNote(ana.cookie, "abc", { body: "x" })).status).toBe(400);
    expect((await notesOf(ana.cookie, conversationId, "?after=-1")).status).toBe(400);
    expect((await notesOf(ana.cookie, conversationId, "?limit=5000")).status).toBe(400);
    expect((await addNote(ana.cookie, 999_999, { body: "x" })).status).toBe(404);
  });
});
