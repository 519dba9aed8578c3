import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MessageContent } from "../../../contracts/messages.js";
import type {
  ClientToServerEvents,
  EventEnvelope,
  MessageCreated,
  ServerToClientEvents,
} from "../../../contracts/socket-events.js";
import { personalDataFor } from "../../crypto/personalData.js";
import { signIn } from "../../test/api.js";
import { bsuidHash, buildOutboundMessage, findContact, phoneHash } from "../../test/factories.js";
import {
  createTestComponents,
  getTestServer,
  type TestComponents,
  type TestServer,
} from "../../test/support.js";
import {
  configureWhatsapp,
  inboundPayload,
  postWebhook,
  serializeLikeMeta,
  signBody,
  statusPayload,
  type TestWhatsappSecrets,
  templateStatusPayload,
  wamid,
} from "../../test/whatsapp.js";
import { startTestWorkers, type TestWorkers } from "../../test/workers.js";

let components: TestComponents;
let server: TestServer;
let secrets: TestWhatsappSecrets;
let workers: TestWorkers | undefined;

beforeAll(async () => {
  components = await createTestComponents({ env: { CONVERSATION_REOPEN_HOURS: "2" } });
  server = await getTestServer(components);
  secrets = await configureWhatsapp(components, {}, server.whatsappSettings);
  workers = startTestWorkers(components, server.queues);
});

afterAll(async () => {
  await workers?.close();
  await server?.close();
  await components?.cleanup();
});

const send = (payload: unknown, options?: Parameters<typeof postWebhook>[3]) =>
  postWebhook(server.url, secrets.appSecret, payload, options);

/** wamids of the inbound messages in a payload built by `inboundPayload`. */
function wamidsOf(payload: Record<string, unknown>): string[] {
  const entry = (
    payload.entry as Array<{ changes: Array<{ value: { messages?: Array<{ id: string }> } }> }>
  )[0];
  return (entry?.changes[0]?.value.messages ?? []).map((message) => message.id);
}

async function inboxCount(key: string): Promise<number> {
  const [row] = await components
    .db("whatsapp_inbox_events")
    .where({ event_key: key })
    .count({ n: "*" });
  return Number(row?.n ?? 0);
}

/** Waits until the worker has processed an event. */
async function processed(key: string): Promise<void> {
  await expect
    .poll(
      async () =>
        (
          await components
            .db("whatsapp_inbox_events")
            .where({ event_key: key })
            .first("processed_at")
        )?.processed_at ?? null,
      { timeout: 10_000, interval: 50 },
    )
    .not.toBeNull();
}

interface StoredMessage {
  id: number;
  conversation_id: number;
  type: string;
  content: MessageContent;
  text: string | null;
  reply_to_wamid: string | null;
  status: string | null;
  error_code: number | null;
  error_title: string | null;
  error_details: string | null;
}

async function storedMessage(id: string): Promise<StoredMessage> {
  await processed(`m:${id}`);
  const row = await components.db("messages").where({ wamid: id }).first();
  return {
    ...row,
    content: typeof row.content === "string" ? JSON.parse(row.content) : row.content,
  };
}

describe("GET /webhooks/whatsapp (verification handshake)", () => {
  it("echoes the challenge as plain text when the verify token matches", async () => {
    const query = new URLSearchParams({
      "hub.mode": "subscribe",
      "hub.verify_token": secrets.verifyToken,
      "hub.challenge": "0001903260781",
    });
    const response = await fetch(`${server.url}/webhooks/whatsapp?${query}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toBe("0001903260781");
  });

  it("answers 403 for a wrong token, a wrong mode or missing parameters", async () => {
    const queries: Array<Record<string, string>> = [
      { "hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1" },
      { "hub.mode": "unsubscribe", "hub.verify_token": secrets.verifyToken, "hub.challenge": "1" },
      { "hub.mode": "subscribe", "hub.challenge": "1" },
      {},
    ];
    for (const query of queries) {
      const response = await fetch(`${server.url}/webhooks/whatsapp?${new URLSearchParams(query)}`);
      expect(response.status).toBe(403);
      expect(await response.text()).not.toContain("1");
    }
  });
});

describe("POST /webhooks/whatsapp", () => {
  it("stores a signed message before answering 200, then processes it into contact, conversation and message", async () => {
    const payload = inboundPayload(
      [{ type: "text", text: { body: "Olá, quero saber do meu pedido 📦" } }],
      {
        waId: "5511900000001",
        name: "Maria Sá",
      },
    );
    const [id = ""] = wamidsOf(payload);
    const response = await send(payload);
    expect(response.status).toBe(200);
    // Committed by the time the 200 arrived.
    expect(await inboxCount(`m:${id}`)).toBe(1);

    const message = await storedMessage(id);
    expect(message.content).toEqual({ type: "text", body: "Olá, quero saber do meu pedido 📦" });
    const contact = await findContact(components.db, components.env, { waId: "5511900000001" });
    expect(contact).toMatchObject({
      name: "Maria Sá",
      waId: "5511900000001",
      whatsappUserId: null,
    });
    const conversation = await components
      .db("conversations")
      .where({ id: message.conversation_id })
      .first();
    expect(conversation).toMatchObject({ contact_id: contact?.id, status: "open" });
    expect(conversation.last_inbound_at).toBeInstanceOf(Date);
  });

  it("answers 401 and stores nothing for a wrong, missing or re-serialised signature", async () => {
    const payload = inboundPayload([{ type: "text", text: { body: "Olá" } }]);
    const [id = ""] = wamidsOf(payload);
    const body = serializeLikeMeta(payload);
    const cases: Array<Parameters<typeof postWebhook>[3]> = [
      { signature: signBody("not-the-app-secret", body) },
      { signature: null },
      { signature: "sha256=" },
      { signature: "garbage" },
      // Signed over the raw UTF-8 re-serialisation while the bytes sent are Meta's escaped ones.
      { signature: signBody(secrets.appSecret, JSON.stringify(payload)) },
    ];
    for (const options of cases) {
      const response = await send(payload, options);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ ok: false, error: "invalid_signature" });
    }
    expect(await inboxCount(`m:${id}`)).toBe(0);
  });

  it("answers 400 for signed malformed JSON and stores nothing", async () => {
    const before = await components.db("whatsapp_inbox_events").count({ n: "*" });
    for (const body of [
      '{"object":"whatsapp_business_account","entry":[',
      "",
      "not json",
      "\u0000",
    ]) {
      const response = await send(null, { body });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: "invalid_json" });
    }
    expect(await components.db("whatsapp_inbox_events").count({ n: "*" })).toEqual(before);
  });

  it("answers 413 to a 10 MB body without reading it", async () => {
    const body = Buffer.alloc(10 * 1024 * 1024, 0x61);
    const response = await send(null, { body, signature: signBody(secrets.appSecret, body) });
    expect(response.status).toBe(413);
  });

  it("stores a duplicated delivery once: one inbox row, one message", async () => {
    const payload = inboundPayload([{ type: "text", text: { body: "duplicada" } }], {
      waId: "5511900000002",
    });
    const [id = ""] = wamidsOf(payload);
    const responses = await Promise.all([send(payload), send(payload), send(payload)]);
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    await storedMessage(id);
    expect(await send(payload).then((response) => response.status)).toBe(200);
    expect(await inboxCount(`m:${id}`)).toBe(1);
    expect(await components.db("messages").where({ wamid: id }).count({ n: "*" })).toEqual([
      { n: 1 },
    ]);
  });

  it("is exempt from the browser CSRF guard: any Origin and content type, no session", async () => {
    const payload = inboundPayload([{ type: "text", text: { body: "csrf?" } }], {
      waId: "5511900000003",
    });
    const body = serializeLikeMeta(payload);
    const response = await fetch(`${server.url}/webhooks/whatsapp`, {
      method: "POST",
      headers: {
        "Content-Type": "text/plain",
        Origin: "https://evil.example",
        "X-Hub-Signature-256": signBody(secrets.appSecret, body),
      },
      body,
    });
    expect(response.status).toBe(200);
  });

  it("answers 200 but stores nothing for another business number", async () => {
    const payload = inboundPayload(
      [{ type: "text", text: { body: "not ours" } }],
      { waId: "5511900000004" },
      "999",
    );
    const [id = ""] = wamidsOf(payload);
    expect((await send(payload)).status).toBe(200);
    expect(await inboxCount(`m:${id}`)).toBe(0);
  });

  it("answers 200 to fields it does not handle and keeps them", async () => {
    const payload = {
      object: "whatsapp_business_account",
      entry: [
        {
          id: "100000000000001",
          changes: [{ field: "account_update", value: { event: "VERIFIED_ACCOUNT" } }],
        },
      ],
    };
    expect((await send(payload)).status).toBe(200);
    const row = await components
      .db("whatsapp_inbox_events")
      .where({ kind: "other" })
      .orderBy("id", "desc")
      .first();
    // Sealed at rest: only the tenant's key reads it.
    expect(row.payload).toMatch(/^v1\./);
    const opened = personalDataFor(components.env.ENCRYPTION_KEY).open(
      "whatsapp_inbox_events.payload",
      row.payload,
    );
    expect(JSON.parse(opened ?? "")).toMatchObject({ field: "account_update" });
  });
});

describe("message types and hostile text", () => {
  const hostile =
    "'); DROP TABLE messages; -- <img src=x onerror=alert(1)> \u0000\u0001\u001b[31m\r\n\t\u202e ação 👍🏽 \\u0000";

  it("stores every text field verbatim, whatever it contains", async () => {
    const payload = inboundPayload(
      [
        { type: "text", text: { body: hostile } },
        {
          type: "image",
          image: { id: "1480000000001", mime_type: "image/jpeg", caption: hostile },
        },
        {
          type: "document",
          document: {
            id: "1480000000004",
            mime_type: "application/pdf",
            filename: hostile,
            caption: hostile,
          },
        },
        {
          type: "location",
          location: { latitude: -23.5, longitude: -46.6, name: hostile, address: hostile },
        },
        { type: "button", button: { text: hostile, payload: hostile } },
        {
          type: "interactive",
          interactive: {
            type: "list_reply",
            list_reply: { id: hostile, title: hostile, description: hostile },
          },
        },
        {
          type: "contacts",
          contacts: [{ name: { formatted_name: hostile }, phones: [{ phone: hostile }] }],
        },
        { type: "reaction", reaction: { message_id: hostile, emoji: hostile } },
      ],
      { waId: "5511900000010", name: hostile },
    );
    expect((await send(payload)).status).toBe(200);
    const [text, image, document, location, button, interactive, contacts, reaction] =
      await Promise.all(wamidsOf(payload).map(storedMessage));
    expect(text?.content).toEqual({ type: "text", body: hostile });
    expect(text?.text).toBe(hostile);
    expect(image?.content).toMatchObject({ caption: hostile });
    expect(document?.content).toMatchObject({ filename: hostile, caption: hostile });
    expect(location?.content).toMatchObject({ name: hostile, address: hostile });
    expect(button?.content).toEqual({ type: "button", text: hostile, payload: hostile });
    expect(interactive?.content).toMatchObject({
      id: hostile,
      title: hostile,
      description: hostile,
    });
    expect(contacts?.content).toMatchObject({
      contacts: [{ name: hostile, phones: [{ phone: hostile }] }],
    });
    expect(reaction?.content).toEqual({ type: "reaction", targetWamid: hostile, emoji: hostile });
    expect(
      (await findContact(components.db, components.env, { waId: "5511900000010" }))?.name,
    ).toBe(hostile);
    // The tables are all still there.
    expect(await components.db.schema.hasTable("messages")).toBe(true);
  });

  it("stores every message type of the reference ready to render", async () => {
    const payload = inboundPayload(
      [
        {
          type: "audio",
          audio: { id: "1480000000003", mime_type: "audio/ogg; codecs=opus", voice: true },
        },
        { type: "video", video: { id: "1480000000002", mime_type: "video/mp4" } },
        {
          type: "sticker",
          sticker: { id: "1480000000005", mime_type: "image/webp", animated: false },
        },
        {
          type: "interactive",
          context: { from: "5511999990000", id: "wamid.OUT9" },
          interactive: { type: "button_reply", button_reply: { id: "btn_sim", title: "Sim" } },
        },
        { type: "reaction", reaction: { message_id: "wamid.OUT9", emoji: "" } },
        {
          type: "unsupported",
          unsupported: { type: "poll" },
          errors: [
            {
              code: 131051,
              title: "Message type unknown",
              error_data: { details: "not supported" },
            },
          ],
        },
        {
          type: "text",
          context: { from: "5511999990000", id: "wamid.OUT9" },
          text: { body: "respondendo" },
        },
      ],
      { waId: "5511900000011" },
    );
    expect((await send(payload)).status).toBe(200);
    const [audio, video, sticker, buttonReply, reactionRemoved, unsupported, reply] =
      await Promise.all(wamidsOf(payload).map(storedMessage));
    expect(audio?.content).toMatchObject({
      type: "audio",
      voice: true,
      mimeType: "audio/ogg; codecs=opus",
    });
    expect(video?.content).toMatchObject({ type: "video" });
    expect(sticker?.content).toMatchObject({ type: "sticker", animated: false });
    expect(buttonReply?.content).toMatchObject({
      replyType: "button_reply",
      id: "btn_sim",
      title: "Sim",
    });
    expect(buttonReply?.reply_to_wamid).toBe("wamid.OUT9");
    expect(reactionRemoved?.content).toEqual({
      type: "reaction",
      targetWamid: "wamid.OUT9",
      emoji: null,
    });
    expect(unsupported?.content).toEqual({
      type: "unsupported",
      originalType: "poll",
      errorCode: 131051,
      errorTitle: "Message type unknown",
      errorDetails: "not supported",
      body: null,
    });
    expect(reply?.reply_to_wamid).toBe("wamid.OUT9");
    // Media messages wait for their download.
    const media = await components
      .db("message_media")
      .whereIn("message_id", [audio?.id ?? 0, video?.id ?? 0, sticker?.id ?? 0]);
    expect(media.map((row: { kind: string }) => row.kind).sort()).toEqual([
      "audio",
      "sticker",
      "video",
    ]);
    // All seven in one conversation.
    expect(
      new Set(
        [audio, video, sticker, buttonReply, reactionRemoved, unsupported, reply].map(
          (m) => m?.conversation_id,
        ),
      ).size,
    ).toBe(1);
  });
});

describe("contacts and conversations", () => {
  it("keys contacts by BSUID, falls back to the phone number, and links both when they appear", async () => {
    // Known by phone first.
    const byPhone = inboundPayload([{ type: "text", text: { body: "1" } }], {
      waId: "5511900000020",
    });
    await send(byPhone);
    const first = await storedMessage(wamidsOf(byPhone)[0] ?? "");
    // Then with a BSUID too: same contact, now with the BSUID.
    const both = inboundPayload([{ type: "text", text: { body: "2" } }], {
      waId: "5511900000020",
      userId: "BR.20",
    });
    await send(both);
    const second = await storedMessage(wamidsOf(both)[0] ?? "");
    // Then hiding the phone behind a username: found by BSUID.
    const byUser = inboundPayload([{ type: "text", text: { body: "3" } }], { userId: "BR.20" });
    await send(byUser);
    const third = await storedMessage(wamidsOf(byUser)[0] ?? "");

    const contacts = await components
      .db("contacts")
      .where({ wa_id_hash: phoneHash(components.env, "5511900000020") })
      .orWhere({ whatsapp_user_id_hash: bsuidHash(components.env, "BR.20") });
    expect(contacts).toHaveLength(1);
    expect(
      await findContact(components.db, components.env, { whatsappUserId: "BR.20" }),
    ).toMatchObject({ waId: "5511900000020", whatsappUserId: "BR.20" });
    expect(
      new Set([first.conversation_id, second.conversation_id, third.conversation_id]).size,
    ).toBe(1);
  });

  it("threads a new customer's simultaneous first messages into one contact, found by hash", async () => {
    const customer = { waId: "5511900000031", userId: "BR.31", name: "Rui" };
    const payloads = Array.from({ length: 6 }, (_, n) =>
      inboundPayload([{ type: "text", text: { body: `mensagem ${n}` } }], customer),
    );
    const responses = await Promise.all(payloads.map((payload) => send(payload)));
    expect(responses.map((response) => response.status)).toEqual(Array(6).fill(200));
    const stored = await Promise.all(
      payloads.map((payload) => storedMessage(wamidsOf(payload)[0] ?? "")),
    );
    expect(new Set(stored.map((message) => message.conversation_id)).size).toBe(1);
    expect(
      await components
        .db("contacts")
        .where({ wa_id_hash: phoneHash(components.env, "+55 11 90000-0031") }),
    ).toHaveLength(1);
    expect(
      await findContact(components.db, components.env, { whatsappUserId: "BR.31" }),
    ).toMatchObject({ waId: "5511900000031", whatsappUserId: "BR.31", name: "Rui" });
  });

  it("creates a contact for a username-only user (no phone number)", async () => {
    const payload = inboundPayload([{ type: "text", text: { body: "oi" } }], {
      userId: "BR.ONLY.21",
      name: "Ana",
    });
    await send(payload);
    await storedMessage(wamidsOf(payload)[0] ?? "");
    expect(
      await findContact(components.db, components.env, { whatsappUserId: "BR.ONLY.21" }),
    ).toMatchObject({ waId: null, name: "Ana" });
  });

  it("reopens a recently resolved conversation and starts a new one after the reopen window", async () => {
    const customer = { waId: "5511900000030" };
    const opening = inboundPayload([{ type: "text", text: { body: "a" } }], customer);
    await send(opening);
    const { conversation_id: conversationId } = await storedMessage(wamidsOf(opening)[0] ?? "");

    // Resolved an hour ago (window: 2 h) → the next message reopens it.
    await components
      .db("conversations")
      .where({ id: conversationId })
      .update({ status: "resolved", resolved_at: new Date(Date.now() - 3_600_000) });
    const soon = inboundPayload([{ type: "text", text: { body: "b" } }], customer);
    await send(soon);
    expect((await storedMessage(wamidsOf(soon)[0] ?? "")).conversation_id).toBe(conversationId);
    expect(
      await components.db("conversations").where({ id: conversationId }).first("status"),
    ).toEqual({ status: "open" });

    // Resolved three hours ago → a new conversation.
    await components
      .db("conversations")
      .where({ id: conversationId })
      .update({ status: "resolved", resolved_at: new Date(Date.now() - 3 * 3_600_000) });
    const later = inboundPayload([{ type: "text", text: { body: "c" } }], customer);
    await send(later);
    const newer = await storedMessage(wamidsOf(later)[0] ?? "");
    expect(newer.conversation_id).not.toBe(conversationId);
    expect(
      await components.db("conversations").where({ id: conversationId }).first("status"),
    ).toEqual({ status: "resolved" });
  });

  it("broadcasts message:created to the tenant's signed-in agents", async () => {
    const { cookie } = await signIn(server.url, components.db, { role: "agent" });
    const client: Socket<ServerToClientEvents, ClientToServerEvents> = connect(server.url, {
      transports: ["websocket"],
      reconnection: false,
      extraHeaders: { Cookie: cookie },
    });
    try {
      await new Promise<void>((resolve, reject) => {
        client.once("connect", resolve);
        client.once("connect_error", reject);
      });
      const received = new Promise<EventEnvelope<MessageCreated>>((resolve) =>
        client.once("message:created", resolve),
      );
      const payload = inboundPayload([{ type: "text", text: { body: "ao vivo" } }], {
        waId: "5511900000040",
      });
      await send(payload);
      const event = await received;
      expect(event).toMatchObject({
        tenant: "test",
        schemaVersion: 1,
        data: {
          message: {
            wamid: wamidsOf(payload)[0],
            direction: "inbound",
            content: { type: "text", body: "ao vivo" },
          },
        },
      });
    } finally {
      client.disconnect();
    }
  });
});

describe("statuses", () => {
  const status = (id: string, state: string, extra: Record<string, unknown> = {}) =>
    statusPayload([{ id, status: state, ...extra }]);

  async function sendStatuses(id: string, states: string[]): Promise<void> {
    for (const state of states) {
      expect((await send(status(id, state))).status).toBe(200);
      await processed(`s:${id}:${state}`);
    }
  }

  it("never moves backwards: a late delivered or sent does not undo read", async () => {
    const { wamid: id } = await buildOutboundMessage(components.db, components.env);
    await sendStatuses(id, ["read", "delivered", "sent"]);
    const row = await components.db("messages").where({ wamid: id }).first("status");
    expect(row.status).toBe("read");
  });

  it("records failed with its reason, but failed does not undo delivered", async () => {
    const failedOne = await buildOutboundMessage(components.db, components.env);
    await sendStatuses(failedOne.wamid, ["sent"]);
    const failed = statusPayload([
      {
        id: failedOne.wamid,
        status: "failed",
        errors: [
          {
            code: 131047,
            title: "Re-engagement message",
            message: "Re-engagement message",
            error_data: {
              details: "More than 24 hours have passed since the customer last replied.",
            },
          },
        ],
      },
    ]);
    await send(failed);
    await processed(`s:${failedOne.wamid}:failed`);
    expect(await components.db("messages").where({ wamid: failedOne.wamid }).first()).toMatchObject(
      {
        status: "failed",
        error_code: 131047,
        error_title: "Re-engagement message",
        error_details: "More than 24 hours have passed since the customer last replied.",
      },
    );

    const deliveredOne = await buildOutboundMessage(components.db, components.env);
    await sendStatuses(deliveredOne.wamid, ["delivered", "failed"]);
    expect(
      await components.db("messages").where({ wamid: deliveredOne.wamid }).first("status"),
    ).toEqual({ status: "delivered" });
  });

  it("keeps a status that arrives before its message, never downgraded", async () => {
    const id = wamid();
    await sendStatuses(id, ["read", "delivered"]);
    expect(await components.db("message_statuses").where({ wamid: id }).first()).toMatchObject({
      status: "read",
    });
  });

  it("ignores a duplicated status delivery", async () => {
    const { wamid: id } = await buildOutboundMessage(components.db, components.env);
    await Promise.all([send(status(id, "delivered")), send(status(id, "delivered"))]);
    await processed(`s:${id}:delivered`);
    expect(await inboxCount(`s:${id}:delivered`)).toBe(1);
  });
});

describe("template status updates", () => {
  it("creates and updates the template, never letting an older update win", async () => {
    const value = (event: string, reason = "NONE") => ({
      event,
      message_template_id: 1627019861106475,
      message_template_name: "pedido_enviado",
      message_template_language: "pt_BR",
      message_template_category: "UTILITY",
      reason,
    });
    const now = Math.floor(Date.now() / 1000);
    const sendTemplate = async (payload: Record<string, unknown>) => {
      expect((await send(payload)).status).toBe(200);
      const [row] = await components
        .db("whatsapp_inbox_events")
        .where({ kind: "template" })
        .orderBy("id", "desc")
        .limit(1);
      await processed(row.event_key);
    };
    await sendTemplate(templateStatusPayload(value("APPROVED"), now));
    expect(
      await components
        .db("message_templates")
        .where({ whatsapp_template_id: "1627019861106475" })
        .first(),
    ).toMatchObject({
      name: "pedido_enviado",
      language: "pt_BR",
      category: "UTILITY",
      status: "APPROVED",
      reason: null,
    });
    await sendTemplate(templateStatusPayload(value("REJECTED", "INVALID_FORMAT"), now + 10));
    await sendTemplate(templateStatusPayload(value("PENDING"), now - 10));
    expect(
      await components
        .db("message_templates")
        .where({ whatsapp_template_id: "1627019861106475" })
        .first(),
    ).toMatchObject({
      status: "REJECTED",
      reason: "INVALID_FORMAT",
    });
  });
});
