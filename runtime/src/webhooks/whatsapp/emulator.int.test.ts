import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOutboundMessage, findContact } from "../../test/factories.js";
import { createTestComponents, type TestComponents } from "../../test/support.js";
import { startWhatsappStack, type WhatsappStack } from "../../test/whatsappStack.js";

/**
 * The inbound channel driven by the Cloud API emulator's webhook sender (Meta's serialisation,
 * signature and retry behaviour), written independently of the runtime's receiver.
 */
let components: TestComponents;
let stack: WhatsappStack;

beforeAll(async () => {
  components = await createTestComponents();
  stack = await startWhatsappStack(components);
});

afterAll(async () => {
  await stack?.close();
  await components?.cleanup();
});

async function processedMessage(wamid: string) {
  await expect
    .poll(async () => (await components.db("messages").where({ wamid }).first("id")) ?? null, {
      timeout: 10_000,
      interval: 50,
    })
    .not.toBeNull();
  const row = await components.db("messages").where({ wamid }).first();
  return {
    ...row,
    content: typeof row.content === "string" ? JSON.parse(row.content) : row.content,
  };
}

describe("with the emulator's webhook sender", () => {
  it("passes Meta's verification handshake, and refuses a wrong verify token", async () => {
    const accepted = await stack.emulator.control.verifyWebhook({ challenge: "1158201444" });
    expect(accepted).toMatchObject({ status: 200, body: "1158201444", accepted: true });
    const refused = await stack.emulator.control.verifyWebhook({ verifyToken: "wrong" });
    expect(refused).toMatchObject({ status: 403, accepted: false });
  });

  it("stores every inbound type a customer can send, non-ASCII text verbatim", async () => {
    const from = "5511970000001";
    const { control } = stack.emulator;
    const inputs: Array<Record<string, unknown>> = [
      { type: "text", text: "Olá! Ação, coração 👍🏽 日本語" },
      { type: "image", image: { caption: "foto do defeito", mime_type: "image/jpeg" } },
      { type: "audio", audio: { mime_type: "audio/ogg; codecs=opus", voice: true } },
      { type: "video", video: { mime_type: "video/mp4" } },
      { type: "document", document: { mime_type: "application/pdf", filename: "boleto.pdf" } },
      { type: "sticker", sticker: { mime_type: "image/webp" } },
      {
        type: "location",
        location: { latitude: -23.5613, longitude: -46.6565, name: "Loja Paulista" },
      },
      {
        type: "contacts",
        contacts: [
          { name: { formatted_name: "João Silva" }, phones: [{ phone: "+55 11 97777-6666" }] },
        ],
      },
      {
        type: "interactive",
        interactive: { type: "list_reply", list_reply: { id: "row_2via", title: "2ª via" } },
      },
      { type: "button", button: { text: "Confirmar", payload: "CONFIRMA" } },
      { type: "reaction", reaction: { message_id: "wamid.OUT9", emoji: "❤️" } },
      { type: "reaction", reaction: { message_id: "wamid.OUT9", emoji: "" } },
      { type: "unsupported", unsupported: { type: "poll" } },
    ];
    const wamids = inputs.map(
      (input) => control.receive({ from, name: "Cliente Emulado", ...input }).wamid,
    );
    await control.waitForWebhooks();
    const stored = await Promise.all(wamids.map(processedMessage));
    expect(stored.map((message) => message.type)).toEqual(inputs.map((input) => input.type));
    expect(stored[0]?.content).toEqual({ type: "text", body: "Olá! Ação, coração 👍🏽 日本語" });
    expect(stored[1]?.content).toMatchObject({ type: "image", caption: "foto do defeito" });
    expect(stored[4]?.content).toMatchObject({ type: "document", filename: "boleto.pdf" });
    expect(stored[6]?.content).toMatchObject({ type: "location", latitude: -23.5613 });
    expect(stored[8]?.content).toMatchObject({
      replyType: "list_reply",
      id: "row_2via",
      title: "2ª via",
    });
    expect(stored[10]?.content).toEqual({
      type: "reaction",
      targetWamid: "wamid.OUT9",
      emoji: "❤️",
    });
    expect(stored[11]?.content).toEqual({
      type: "reaction",
      targetWamid: "wamid.OUT9",
      emoji: null,
    });
    expect(stored[12]?.content).toMatchObject({
      type: "unsupported",
      originalType: "poll",
      errorCode: 131051,
    });
    // The emulator's customers carry a BSUID: the contact is keyed by it, phone kept as fallback.
    const contact = await findContact(components.db, components.env, { waId: from });
    expect(contact?.whatsappUserId).toMatch(/^[A-Z]{2}\./);
    // Every delivery was acknowledged with a 200 on the first attempt.
    const deliveries = control.deliveries({ kind: "messages" });
    expect(deliveries.every((delivery) => delivery.state === "delivered")).toBe(true);
  });

  it("stores a message once when Meta delivers it three times", async () => {
    const { control } = stack.emulator;
    control.addWebhookFault({ kind: "duplicate", copies: 3, times: 1 });
    const { wamid } = control.receive({ from: "5511970000002", type: "text", text: "três vezes" });
    await control.waitForWebhooks();
    await processedMessage(wamid);
    expect(
      await components
        .db("whatsapp_inbox_events")
        .where({ event_key: `m:${wamid}` })
        .count({ n: "*" }),
    ).toEqual([{ n: 1 }]);
    expect(await components.db("messages").where({ wamid }).count({ n: "*" })).toEqual([{ n: 1 }]);
  });

  it("refuses a badly signed delivery with 401 and stores nothing", async () => {
    const { control } = stack.emulator;
    control.addWebhookFault({ kind: "badSignature", times: 1 });
    const { wamid, deliveries } = control.receive({
      from: "5511970000003",
      type: "text",
      text: "forjada",
    });
    await control.waitForWebhooks();
    const delivery = control.delivery(deliveries[0] ?? "");
    expect(delivery.attempts.map((attempt) => attempt.status)).toEqual([401]);
    expect(
      await components
        .db("whatsapp_inbox_events")
        .where({ event_key: `m:${wamid}` })
        .first(),
    ).toBeUndefined();
  });

  it("never moves a status backwards when the emulator reports them out of order", async () => {
    // What the send path (not built yet) will do: send through Graph, store the wamid.
    const response = await fetch(
      `${stack.emulator.url}/v24.0/${stack.emulator.phoneNumberId}/messages`,
      {
        method: "POST",
        headers: {
          Authorization: `Bearer ${stack.emulator.accessToken}`,
          "Content-Type": "application/json",
        },
        body: JSON.stringify({
          messaging_product: "whatsapp",
          to: "5511970000001",
          type: "text",
          text: { body: "Oi!" },
        }),
      },
    );
    const sent = (await response.json()) as { messages: Array<{ id: string }> };
    const wamid = sent.messages[0]?.id ?? "";
    await buildOutboundMessage(components.db, components.env, { wamid });
    const { control } = stack.emulator;
    control.reportStatuses(wamid, { statuses: ["sent", "read", "delivered"] });
    await control.waitForWebhooks();
    await expect
      .poll(
        async () =>
          (
            await components
              .db("whatsapp_inbox_events")
              .where("event_key", "like", `s:${wamid}:%`)
              .whereNotNull("processed_at")
          ).length,
        {
          timeout: 10_000,
        },
      )
      .toBe(3);
    expect(await components.db("messages").where({ wamid }).first("status")).toEqual({
      status: "read",
    });
  });

  it("updates templates from Meta's template status webhooks", async () => {
    const { control } = stack.emulator;
    control.setTemplateStatus("pedido_enviado", "REJECTED", {
      language: "pt_BR",
      reason: "INVALID_FORMAT",
    });
    await control.waitForWebhooks();
    await expect
      .poll(
        async () =>
          (await components.db("message_templates").where({ name: "pedido_enviado" }).first()) ??
          null,
        {
          timeout: 10_000,
        },
      )
      .toMatchObject({ status: "REJECTED", reason: "INVALID_FORMAT", language: "pt_BR" });
  });
});
