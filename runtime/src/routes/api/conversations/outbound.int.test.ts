import { randomBytes, randomUUID } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DeliveryStatus, MessagePayload } from "../../../../contracts/messages.js";
import { statusMovesForward } from "../../../../contracts/messages.js";
import { RequeueWhatsappSendsTask } from "../../../queues/tasks/RequeueWhatsappSendsTask.js";
import { tenantEventsChannel } from "../../../sockets/tenantEvents.js";
import { apiCall, signIn } from "../../../test/api.js";
import { createTestComponents, type TestComponents } from "../../../test/support.js";
import { startWhatsappStack, type WhatsappStack } from "../../../test/whatsappStack.js";

/**
 * Outbound WhatsApp messages end to end: the API, the send queue and the Cloud API emulator
 * (Meta's validation, rate limits, faults and status webhooks), on real MariaDB and Redis.
 */
const RATE_PER_SECOND = 5;
const RECIPIENT_BURST = 3;
const RECIPIENT_INTERVAL_MS = 800;

let components: TestComponents;
let stack: WhatsappStack;
let cookie: string;
let mediaDir: string;
let subscriber: Redis;
/** Every tenant broadcast published on Redis (what the web role relays to browsers). */
const broadcasts: Array<{ event: string; data: Record<string, unknown> }> = [];

beforeAll(async () => {
  mediaDir = path.join("/tmp", `s3t-media-${randomBytes(4).toString("hex")}`);
  components = await createTestComponents({
    env: {
      MEDIA_DIR: mediaDir,
      WHATSAPP_SEND_RATE_PER_SECOND: String(RATE_PER_SECOND),
      WHATSAPP_RECIPIENT_BURST: String(RECIPIENT_BURST),
      WHATSAPP_RECIPIENT_INTERVAL_MS: String(RECIPIENT_INTERVAL_MS),
    },
  });
  stack = await startWhatsappStack(components, {
    sendRetryDelayMs: 50,
    settings: { throughputPerSecond: RATE_PER_SECOND },
  });
  ({ cookie } = await signIn(stack.server.url, components.db, { role: "agent" }));
  subscriber = components.redis.duplicate();
  subscriber.on("message", (_channel: string, text: string) => {
    const { event, envelope } = JSON.parse(text) as {
      event: string;
      envelope: { data: Record<string, unknown> };
    };
    broadcasts.push({ event, data: envelope.data });
  });
  await subscriber.subscribe(tenantEventsChannel(components.env));
}, 30_000);

afterAll(async () => {
  await subscriber?.quit();
  await stack?.close();
  await components?.cleanup();
  if (mediaDir !== undefined) await rm(mediaDir, { recursive: true, force: true });
});

beforeEach(() => {
  stack.emulator.control.clearFaults();
});

let customerSeq = 0;

/** A customer who just wrote (window open), with the conversation the runtime stored. */
async function customerWhoWrote(text = "Oi, preciso de ajuda") {
  customerSeq += 1;
  const waId = `55119${String(Date.now() % 1e4).padStart(4, "0")}${String(customerSeq).padStart(4, "0")}`;
  const { wamid } = stack.emulator.control.receive({
    from: waId,
    name: "Cliente",
    type: "text",
    text,
  });
  await stack.emulator.control.waitForWebhooks();
  const inbound = await waitFor<{ id: number; conversation_id: number }>(async () =>
    components.db("messages").where({ wamid }).first("id", "conversation_id"),
  );
  return {
    waId,
    conversationId: inbound.conversation_id as number,
    inboundId: inbound.id as number,
  };
}

async function waitFor<T>(
  probe: () => Promise<T | undefined | null>,
  timeout = 15_000,
): Promise<T> {
  let value: T | undefined | null;
  await expect
    .poll(
      async () => {
        value = await probe();
        return value ?? null;
      },
      { timeout, interval: 50 },
    )
    .not.toBeNull();
  return value as T;
}

function api(
  pathName: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  return fetch(`${stack.server.url}/api${pathName}`, {
    method: init.method ?? "POST",
    headers: {
      Cookie: cookie,
      ...(init.body === undefined ||
      typeof init.body !== "object" ||
      init.body instanceof Uint8Array
        ? {}
        : { "Content-Type": "application/json" }),
      ...init.headers,
    },
    ...(init.body === undefined
      ? {}
      : {
          body:
            init.body instanceof Uint8Array || typeof init.body === "string"
              ? (init.body as string | Uint8Array<ArrayBuffer>)
              : JSON.stringify(init.body),
        }),
  });
}

async function send(
  conversationId: number,
  message: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  const response = await api(`/conversations/${conversationId}/messages`, {
    body: { clientKey: randomUUID(), message, ...extra },
  });
  return {
    status: response.status,
    body: (await response.json()) as { ok: boolean; error?: string; data: Record<string, unknown> },
  };
}

async function settled(messageId: number, timeout = 15_000) {
  return waitFor(async () => {
    const row = await components.db("messages").where({ id: messageId }).first();
    return row.status === "queued" || row.status === "sending" ? undefined : row;
  }, timeout);
}

/** One of the emulator's own templates, with header, body and both kinds of button. */
const pedidoEnviado = {
  type: "template",
  name: "pedido_enviado",
  language: "pt_BR",
  header: { type: "text", text: "#123" },
  body: [
    { type: "text", text: "Maria" },
    { type: "text", text: "#123" },
  ],
  buttons: [
    { index: 0, subType: "quick_reply", value: "RASTREAR_123" },
    { index: 1, subType: "url", value: "123" },
  ],
};

const sentTo = (waId: string) => stack.emulator.control.messages({ to: waId });
const sendRequests = () =>
  stack.emulator.control
    .requests()
    .filter((r) => r.method === "POST" && r.path.endsWith("/messages"));

describe("POST /api/conversations/:id/messages", () => {
  it("needs a signed-in user", async () => {
    const response = await fetch(`${stack.server.url}/api/conversations/1/messages`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ clientKey: randomUUID(), message: { type: "text", body: "oi" } }),
    });
    expect(response.status).toBe(401);
  });

  it("stores the message as queued, announces it, and delivers every type with Meta's body", async () => {
    const { waId, conversationId, inboundId } = await customerWhoWrote();
    const inboundWamid = (await components.db("messages").where({ id: inboundId }).first("wamid"))
      .wamid;
    const inputs: Array<[Record<string, unknown>, Record<string, unknown>?]> = [
      [
        { type: "text", body: "Olá! Seu pedido: https://loja.example/p/1", previewUrl: true },
        { replyToMessageId: inboundId },
      ],
      [{ type: "image", link: "https://cdn.example.test/foto.jpg", caption: "Segue a foto" }],
      [{ type: "video", link: "https://cdn.example.test/video.mp4" }],
      [{ type: "audio", link: "https://cdn.example.test/voz.ogg", voice: true }],
      [
        {
          type: "document",
          link: "https://cdn.example.test/nf.pdf",
          filename: "nota-fiscal.pdf",
          caption: "NF",
        },
      ],
      [{ type: "sticker", link: "https://cdn.example.test/s.webp" }],
      [
        {
          type: "buttons",
          header: "Atendimento",
          body: "Seu problema foi resolvido?",
          footer: "Loja Exemplo",
          buttons: [
            { id: "btn_sim", title: "Sim" },
            { id: "btn_nao", title: "Não" },
          ],
        },
      ],
      [
        {
          type: "list",
          body: "Escolha uma opção",
          button: "Ver opções",
          sections: [
            {
              title: "Financeiro",
              rows: [{ id: "row_2via", title: "2ª via", description: "Boleto atualizado" }],
            },
            { title: "Suporte", rows: [{ id: "row_tec", title: "Falar com técnico" }] },
          ],
        },
      ],
      [pedidoEnviado],
      [{ type: "reaction", messageId: inboundId, emoji: "👍" }],
      [{ type: "reaction", messageId: inboundId, emoji: "" }],
    ];
    const ids: number[] = [];
    for (const [message, extra] of inputs) {
      const { status, body } = await send(conversationId, message, extra);
      expect(status, JSON.stringify(body)).toBe(201);
      expect(body.data).toMatchObject({ direction: "outbound", status: "queued", wamid: null });
      ids.push(body.data.id as number);
    }
    const rows = await Promise.all(ids.map((id) => settled(id, 30_000)));
    expect(rows.map((row) => [row.status, row.failure_reason])).toEqual(
      rows.map(() => ["accepted", null]),
    );

    const received = sentTo(waId);
    expect(received.map((m) => m.type)).toEqual([
      "text",
      "image",
      "video",
      "audio",
      "document",
      "sticker",
      "interactive",
      "interactive",
      "template",
      "reaction",
      "reaction",
    ]);
    const bodies = received.map((m) => m.body as Record<string, unknown>);
    expect(bodies[0]).toMatchObject({
      to: waId,
      context: { message_id: inboundWamid },
      text: { body: "Olá! Seu pedido: https://loja.example/p/1", preview_url: true },
    });
    expect(bodies[1]).toMatchObject({
      image: { link: "https://cdn.example.test/foto.jpg", caption: "Segue a foto" },
    });
    expect(bodies[3]).toMatchObject({
      audio: { link: "https://cdn.example.test/voz.ogg", voice: true },
    });
    expect(bodies[4]).toMatchObject({ document: { filename: "nota-fiscal.pdf", caption: "NF" } });
    expect(bodies[6]).toMatchObject({
      interactive: {
        type: "button",
        header: { type: "text", text: "Atendimento" },
        action: {
          buttons: [
            { type: "reply", reply: { id: "btn_sim", title: "Sim" } },
            { reply: { id: "btn_nao" } },
          ],
        },
      },
    });
    expect(bodies[7]).toMatchObject({
      interactive: {
        type: "list",
        action: { button: "Ver opções", sections: [{ title: "Financeiro" }, { title: "Suporte" }] },
      },
    });
    expect(received[8]?.rendered).toMatchObject({
      body: "Olá Maria, seu pedido #123 foi enviado.",
    });
    expect(bodies[9]).toMatchObject({ reaction: { message_id: inboundWamid, emoji: "👍" } });
    expect(bodies[10]).toMatchObject({ reaction: { message_id: inboundWamid, emoji: "" } });
    // Each message was announced to the inbox, and so was each step forward (published after
    // the row is committed, and relayed through Redis: wait for them rather than race them).
    const announced = (id: number) =>
      broadcasts.some(
        (b) => b.event === "message:created" && (b.data.message as { id: number }).id === id,
      ) &&
      broadcasts.some(
        (b) =>
          b.event === "message:statusChanged" &&
          b.data.messageId === id &&
          b.data.status === "accepted",
      );
    await expect.poll(() => ids.filter((id) => !announced(id)), { timeout: 5_000 }).toEqual([]);
    // The wamid Meta answered is the one stored.
    expect(rows.map((row) => row.wamid)).toEqual(received.map((m) => m.wamid));
  }, 60_000);

  it("keeps the text a template put on the customer's phone, filled from the synced template", async () => {
    const admin = await signIn(stack.server.url, components.db, { role: "admin" });
    const synced = await apiCall(stack.server.url, admin.cookie)(
      "POST",
      "/whatsapp/templates/sync",
    );
    expect(synced.status).toBe(200);
    const { waId, conversationId } = await customerWhoWrote();
    const { body } = await send(conversationId, pedidoEnviado);
    const stored = body.data as unknown as MessagePayload;
    await settled(stored.id);
    // Exactly what Meta (the emulator, hydrating its copy of the template) put on the phone.
    const rendered = sentTo(waId)[0]?.rendered as {
      header?: { text?: string };
      body: string;
      footer?: string;
    };
    expect(rendered.body).toBe("Olá Maria, seu pedido #123 foi enviado.");
    expect(stored.content).toMatchObject({
      type: "template",
      template: {
        text: {
          header: rendered.header?.text ?? null,
          body: rendered.body,
          footer: rendered.footer ?? null,
        },
      },
    });
    // The list's preview and search use that text too.
    const row = await components.db("messages").where({ id: stored.id }).first("text");
    expect(row.text).toBe(rendered.body);

    // A template this runtime never synced still goes; Meta answers for its name.
    const unknown = await send(conversationId, {
      type: "template",
      name: "nao_sincronizado",
      language: "pt_BR",
    });
    expect(unknown.status).toBe(201);
    expect((unknown.body.data as unknown as MessagePayload).content).toMatchObject({
      template: { text: null },
    });
  });

  it("moves the message forward as Meta reports sent, delivered and read", async () => {
    const { conversationId } = await customerWhoWrote();
    const { body } = await send(conversationId, { type: "text", body: "Chegou?" });
    const row = await settled(body.data.id as number);
    stack.emulator.control.reportStatuses(row.wamid, { statuses: ["sent", "delivered", "read"] });
    await stack.emulator.control.waitForWebhooks();
    await expect
      .poll(
        async () => (await components.db("messages").where({ id: row.id }).first("status")).status,
        {
          timeout: 10_000,
        },
      )
      .toBe("read");
    await expect
      .poll(() =>
        broadcasts
          .filter((b) => b.event === "message:statusChanged" && b.data.messageId === row.id)
          .map((b) => b.data.status),
      )
      .toEqual(expect.arrayContaining(["sending", "accepted", "read"]));
    // Meta's reports may be processed out of order (inline in the web process and by the
    // worker), so a step can be announced after a later one; the inbox applies them with
    // statusMovesForward (contracts/messages.test.ts) and ends on "read".
    const steps = broadcasts
      .filter((b) => b.event === "message:statusChanged" && b.data.messageId === row.id)
      .map((b) => b.data.status as DeliveryStatus);
    const shown: DeliveryStatus[] = [];
    for (const step of steps) {
      if (statusMovesForward(shown.at(-1) ?? null, step)) shown.push(step);
    }
    expect(shown.at(-1)).toBe("read");
    // A late "delivered" never moves it back.
    stack.emulator.control.reportStatuses(row.wamid, { statuses: ["delivered"] });
    await stack.emulator.control.waitForWebhooks();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await components.db("messages").where({ id: row.id }).first("status")).status).toBe(
      "read",
    );
  });

  it("returns the same message for a retried POST and sends it once", async () => {
    const { waId, conversationId } = await customerWhoWrote();
    const payload = { clientKey: randomUUID(), message: { type: "text", body: "Uma vez só" } };
    const [first, second] = await Promise.all(
      [0, 1].map(() => api(`/conversations/${conversationId}/messages`, { body: payload })),
    );
    const third = await api(`/conversations/${conversationId}/messages`, { body: payload });
    const bodies = await Promise.all(
      [first, second, third].map(async (r) => (await r?.json()) as { data: { id: number } }),
    );
    expect(new Set(bodies.map((b) => b.data.id)).size).toBe(1);
    expect([first?.status, second?.status].sort()).toEqual([200, 201]);
    expect(third.status).toBe(200);
    await settled(bodies[0]?.data.id as number);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sentTo(waId)).toHaveLength(1);
  });

  it("stores and sends SQL, HTML and control characters verbatim", async () => {
    const { waId, conversationId } = await customerWhoWrote();
    const text =
      "'); DROP TABLE messages; -- <script>alert('x')</script> &amp; \u0000\u0007\u001b[31m 👍🏽 \\n";
    const { status, body } = await send(conversationId, { type: "text", body: text });
    expect(status).toBe(201);
    const row = await settled(body.data.id as number);
    expect(row.text).toBe(text);
    expect(sentTo(waId)[0]?.body).toMatchObject({ text: { body: text } });
  });

  it("refuses a 10 MB body with 413 and an unknown field with 400", async () => {
    const { conversationId } = await customerWhoWrote();
    const big = await api(`/conversations/${conversationId}/messages`, {
      body: {
        clientKey: randomUUID(),
        message: { type: "text", body: "x".repeat(10 * 1024 * 1024) },
      },
    });
    expect(big.status).toBe(413);
    const { status, body } = await send(conversationId, {
      type: "text",
      body: "oi",
      to: "5511000000000",
    });
    expect(status).toBe(400);
    expect(body.error).toBe("validation_error");
  });
});

describe("the 24-hour window", () => {
  it("refuses free-form messages after 24 hours at the API, but lets templates through", async () => {
    const { waId, conversationId } = await customerWhoWrote();
    await components
      .db("conversations")
      .where({ id: conversationId })
      .update({ last_inbound_at: new Date(Date.now() - 25 * 3_600_000) });
    const refused = await send(conversationId, { type: "text", body: "Ainda está aí?" });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe("whatsapp_window_closed");
    expect(
      await components
        .db("messages")
        .where({ conversation_id: conversationId, direction: "outbound" }),
    ).toHaveLength(0);
    const template = await send(conversationId, {
      type: "template",
      name: "retomar_atendimento",
      language: "pt_BR",
      body: [{ type: "text", name: "cliente", text: "Maria" }],
    });
    expect(template.status).toBe(201);
    expect((await settled(template.body.data.id as number)).status).toBe("accepted");
    expect(sentTo(waId).map((m) => m.type)).toEqual(["template"]);
  });

  it("fails a queued message whose window closed before the job ran, without sending it", async () => {
    const { waId, conversationId } = await customerWhoWrote();
    const queue = stack.server.queues.get("whatsapp-outbound");
    await queue.pause();
    try {
      const { body } = await send(conversationId, { type: "text", body: "Tarde demais" });
      await components
        .db("conversations")
        .where({ id: conversationId })
        .update({ last_inbound_at: new Date(Date.now() - 25 * 3_600_000) });
      await queue.resume();
      const row = await settled(body.data.id as number);
      expect(row).toMatchObject({ status: "failed", failure_reason: "window_closed", wamid: null });
      expect(sentTo(waId)).toHaveLength(0);
    } finally {
      await queue.resume();
    }
  });
});

describe("failures and retries", () => {
  it("does not retry 131047 or 190: failed at once with the reason", async () => {
    const { waId, conversationId } = await customerWhoWrote();
    for (const [code, status, reason] of [
      [131047, 400, "window_closed"],
      [190, 401, "token_invalid"],
    ] as const) {
      stack.emulator.control.addGraphFault({
        kind: "error",
        code,
        status,
        times: 1,
        match: { to: waId },
      });
      const before = sendRequests().length;
      const { body } = await send(conversationId, { type: "text", body: `falha ${code}` });
      const row = await settled(body.data.id as number);
      expect(row).toMatchObject({
        status: "failed",
        failure_reason: reason,
        error_code: code,
        send_attempts: 1,
      });
      expect(sendRequests().length - before).toBe(1);
    }
    expect(sentTo(waId)).toHaveLength(0);
  });

  it("retries 5xx and 130429 with backoff, then sends once", async () => {
    const { waId, conversationId } = await customerWhoWrote();
    stack.emulator.control.addGraphFault({
      kind: "error",
      code: 131000,
      times: 2,
      match: { to: waId },
    });
    const first = await send(conversationId, { type: "text", body: "depois de 500" });
    expect(await settled(first.body.data.id as number)).toMatchObject({
      status: "accepted",
      send_attempts: 3,
    });
    stack.emulator.control.addGraphFault({
      kind: "error",
      code: 130429,
      times: 1,
      match: { to: waId },
    });
    const second = await send(conversationId, { type: "text", body: "depois de 130429" });
    expect(await settled(second.body.data.id as number)).toMatchObject({
      status: "accepted",
      send_attempts: 2,
    });
    expect(sentTo(waId).map((m) => (m.body as { text: { body: string } }).text.body)).toEqual([
      "depois de 500",
      "depois de 130429",
    ]);
  });

  it("gives up after the last attempt with the reason and tells the browser", async () => {
    const { waId, conversationId } = await customerWhoWrote();
    stack.emulator.control.addGraphFault({ kind: "error", code: 131016, match: { to: waId } });
    const { body } = await send(conversationId, { type: "text", body: "Meta fora do ar" });
    const row = await settled(body.data.id as number, 30_000);
    expect(row).toMatchObject({
      status: "failed",
      failure_reason: "meta_unavailable",
      send_attempts: 6,
    });
    await expect
      .poll(() =>
        broadcasts
          .filter((b) => b.event === "message:statusChanged" && b.data.messageId === row.id)
          .map((b) => b.data.status),
      )
      .toEqual(["sending", "failed"]);
    expect(
      broadcasts.find(
        (b) =>
          b.event === "message:statusChanged" &&
          b.data.messageId === row.id &&
          b.data.status === "failed",
      )?.data,
    ).toMatchObject({ failureReason: "meta_unavailable", wamid: null, conversationId });
  }, 40_000);

  it("fails the rest of a batch with token_invalid when the token is revoked mid-way, sending none twice", async () => {
    const customers = await Promise.all([1, 2, 3, 4, 5, 6].map(() => customerWhoWrote()));
    const before = sendRequests().length;
    stack.emulator.control.addGraphFault({
      kind: "revokeToken",
      after: 2,
      times: 1,
      match: { path: "/messages" },
    });
    try {
      const ids: number[] = [];
      for (const customer of customers) {
        ids.push(
          (await send(customer.conversationId, { type: "text", body: "lote" })).body.data
            .id as number,
        );
      }
      const rows = await Promise.all(ids.map((id) => settled(id)));
      const accepted = rows.filter((row) => row.status === "accepted");
      const failed = rows.filter((row) => row.status === "failed");
      expect(accepted).toHaveLength(2);
      expect(failed).toHaveLength(4);
      expect(
        failed.every((row) => row.failure_reason === "token_invalid" && row.wamid === null),
      ).toBe(true);
      expect(sendRequests().length - before).toBe(6);
      const delivered = customers.flatMap((customer) => sentTo(customer.waId));
      expect(delivered).toHaveLength(2);
      expect(JSON.stringify(rows)).not.toContain(stack.emulator.accessToken);
    } finally {
      stack.emulator.control.restoreToken();
    }
  });

  it("fails with media_unavailable when Meta cannot fetch a media link", async () => {
    const { conversationId } = await customerWhoWrote();
    stack.emulator.control.addGraphFault({
      kind: "failAsync",
      code: 131052,
      times: 1,
      match: { messageType: "image" },
    });
    const { body } = await send(conversationId, {
      type: "image",
      link: "https://cdn.example.test/404.jpg",
    });
    await settled(body.data.id as number);
    await stack.emulator.control.waitForWebhooks();
    await expect
      .poll(
        async () =>
          components
            .db("messages")
            .where({ id: body.data.id })
            .first("status", "failure_reason", "error_code"),
        {
          timeout: 10_000,
        },
      )
      .toMatchObject({ status: "failed", failure_reason: "media_unavailable", error_code: 131052 });
  });

  it("keeps a status that Meta reported before its answer to the send", async () => {
    const { waId, conversationId } = await customerWhoWrote();
    stack.emulator.control.addGraphFault({
      kind: "statusesBeforeResponse",
      statuses: ["sent", "delivered"],
      times: 1,
      match: { to: waId },
    });
    const { body } = await send(conversationId, { type: "text", body: "rápido demais" });
    const row = await settled(body.data.id as number);
    expect(row.wamid).toBe(sentTo(waId)[0]?.wamid);
    // Whichever came first (the answer or the processed webhooks), it ends delivered.
    await expect
      .poll(
        async () => (await components.db("messages").where({ id: row.id }).first("status")).status,
        {
          timeout: 10_000,
        },
      )
      .toBe("delivered");
  });

  it("queues a stored message again when its job was lost, and sends it once", async () => {
    const { waId, conversationId } = await customerWhoWrote();
    const queue = stack.server.queues.get("whatsapp-outbound");
    await queue.pause();
    let messageId = 0;
    try {
      messageId = (await send(conversationId, { type: "text", body: "perdido" })).body.data
        .id as number;
      // Redis lost the job (or queueing failed after the commit).
      await queue.remove(`send-${messageId}`);
      await components
        .db("messages")
        .where({ id: messageId })
        .update({ created_at: new Date(Date.now() - 120_000) });
    } finally {
      await queue.resume();
    }
    const requeue = new RequeueWhatsappSendsTask({
      db: components.db,
      queues: stack.server.queues,
    });
    await requeue.perform();
    await requeue.perform();
    expect((await settled(messageId)).status).toBe("accepted");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sentTo(waId)).toHaveLength(1);
  });

  it("never sends a message again once Meta's wamid is stored", async () => {
    const { waId, conversationId } = await customerWhoWrote();
    const { body } = await send(conversationId, { type: "text", body: "só uma" });
    const row = await settled(body.data.id as number);
    // A crashed job retried, or a replayed schedule: the task sees the wamid and does nothing.
    await stack.server.queues
      .get("whatsapp-outbound")
      .add("SendWhatsappMessageTask", { messageId: row.id }, { jobId: `again-${row.id}` });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sentTo(waId)).toHaveLength(1);
  });
});

describe("throughput and pacing", () => {
  it(`never lets more than ${RATE_PER_SECOND} sends a second reach Meta`, async () => {
    const customers = await Promise.all(Array.from({ length: 12 }, () => customerWhoWrote()));
    const startedAt = Date.now();
    const ids = await Promise.all(
      customers.map(
        async (customer) =>
          (await send(customer.conversationId, { type: "text", body: "promo" })).body.data
            .id as number,
      ),
    );
    const rows = await Promise.all(ids.map((id) => settled(id, 20_000)));
    expect(rows.every((row) => row.status === "accepted")).toBe(true);
    const times = sendRequests()
      .map((r) => Date.parse(r.at))
      .filter((t) => t >= startedAt)
      .sort((a, b) => a - b);
    expect(
      times.length,
      JSON.stringify(sendRequests().filter((r) => Date.parse(r.at) >= startedAt)),
    ).toBe(12);
    const busiestSecond = Math.max(
      ...times.map((t) => times.filter((u) => u >= t && u < t + 1_000).length),
    );
    expect(busiestSecond).toBeLessThanOrEqual(RATE_PER_SECOND);
    expect(sendRequests().some((r) => r.code === 130429 && Date.parse(r.at) >= startedAt)).toBe(
      false,
    );
  }, 30_000);

  it("spreads a burst to one customer: after the allowance, one message per interval, in order", async () => {
    const { waId, conversationId } = await customerWhoWrote();
    const ids: number[] = [];
    for (let n = 1; n <= 6; n += 1) {
      ids.push(
        (await send(conversationId, { type: "text", body: `parte ${n}` })).body.data.id as number,
      );
    }
    await Promise.all(ids.map((id) => settled(id, 20_000)));
    const received = sentTo(waId);
    expect(received.map((m) => (m.body as { text: { body: string } }).text.body)).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => `parte ${n}`),
    );
    const times = received.map((m) => Date.parse(m.createdAt));
    // A token bucket: the burst goes at once, then one more per interval on average.
    const first = times[0] ?? 0;
    for (let index = RECIPIENT_BURST; index < times.length; index += 1) {
      expect((times[index] ?? 0) - first).toBeGreaterThanOrEqual(
        (index - RECIPIENT_BURST + 1) * RECIPIENT_INTERVAL_MS - 250,
      );
    }
  }, 30_000);
});

describe("uploads", () => {
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    randomBytes(2048),
  ]);

  function upload(
    conversationId: number,
    kind: string,
    type: string,
    bytes: Uint8Array,
    filename?: string,
  ) {
    const query = new URLSearchParams({ kind, ...(filename === undefined ? {} : { filename }) });
    return api(`/conversations/${conversationId}/media?${query}`, {
      body: bytes,
      headers: { "Content-Type": type, "X-Atende-Upload": "1" },
    });
  }

  it("stores an uploaded image in the media volume, uploads it to Meta and sends it by id", async () => {
    const { waId, conversationId } = await customerWhoWrote();
    const response = await upload(conversationId, "image", "image/png", png);
    expect(response.status).toBe(201);
    const { data } = (await response.json()) as { data: { id: number; sizeBytes: number } };
    expect(data.sizeBytes).toBe(png.length);
    const stored = await components.db("outbound_media").where({ id: data.id }).first();
    expect(await readFile(path.join(mediaDir, stored.path))).toEqual(png);

    const { body } = await send(conversationId, {
      type: "image",
      uploadId: data.id,
      caption: "foto",
    });
    expect(body.data).toMatchObject({ media: { status: "ready", mimeType: "image/png" } });
    await settled(body.data.id as number);
    const [sent] = sentTo(waId);
    const mediaId = (sent?.body as { image: { id: string } } | undefined)?.image.id;
    expect(mediaId).toMatch(/^\d+$/);
    expect(
      stack.emulator.control
        .requests()
        .some((r) => r.method === "POST" && r.path.endsWith("/media")),
    ).toBe(true);
    // One upload is sent once.
    const again = await send(conversationId, { type: "image", uploadId: data.id });
    expect(again.status).toBe(400);
  });

  it("refuses a wrong type or an oversized file with 422, and an upload without the header with 415", async () => {
    const { conversationId } = await customerWhoWrote();
    const wrongType = await upload(
      conversationId,
      "image",
      "application/pdf",
      Buffer.from("%PDF-1.4"),
    );
    expect(wrongType.status).toBe(422);
    expect(((await wrongType.json()) as { error: string }).error).toBe("media_rejected");
    const notAPng = await upload(
      conversationId,
      "image",
      "image/png",
      Buffer.from("MZ\x90\x00 not an image"),
    );
    expect(notAPng.status).toBe(422);
    const tooBig = await upload(
      conversationId,
      "image",
      "image/jpeg",
      Buffer.alloc(6 * 1024 * 1024, 0xff),
    );
    expect(tooBig.status).toBe(422);
    const noHeader = await api(`/conversations/${conversationId}/media?kind=image`, {
      body: png,
      headers: { "Content-Type": "image/png" },
    });
    expect(noHeader.status).toBe(415);
    expect(
      await components.db("outbound_media").where({ conversation_id: conversationId }),
    ).toHaveLength(0);
  });
});

describe("read receipts and typing", () => {
  it("marks the newest customer message read, and shows typing at most once per 20 s", async () => {
    const { waId, conversationId } = await customerWhoWrote("Alguém aí?");
    const read = await api(`/conversations/${conversationId}/read`, { body: {} });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { data: { sent: boolean } }).data.sent).toBe(true);
    expect(stack.emulator.control.inboundMessages({ from: waId }).at(-1)).toMatchObject({
      readByBusiness: true,
    });

    const typing = await api(`/conversations/${conversationId}/typing`, { body: {} });
    expect(((await typing.json()) as { data: { sent: boolean } }).data.sent).toBe(true);
    const again = await api(`/conversations/${conversationId}/typing`, { body: {} });
    expect(((await again.json()) as { data: { sent: boolean } }).data.sent).toBe(false);
  });

  it("answers 502 with the reason when WhatsApp refuses", async () => {
    const { conversationId } = await customerWhoWrote();
    stack.emulator.control.addGraphFault({ kind: "error", code: 190, status: 401, times: 1 });
    const response = await api(`/conversations/${conversationId}/read`, { body: {} });
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({
      error: "whatsapp_request_failed",
      data: { reason: "token_invalid" },
    });
  });
});
