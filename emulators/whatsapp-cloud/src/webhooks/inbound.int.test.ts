import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CloudApiEmulator } from "../createCloudApiEmulator.js";
import { type GraphClient, type Receiver, startPair } from "../test/support.js";

let emulator: CloudApiEmulator;
let receiver: Receiver;
let graph: GraphClient;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ emulator, receiver, graph, close } = await startPair());
});

afterAll(async () => {
  await close();
});

/** Simulates one customer message and returns the webhook's `value`. */
// biome-ignore lint/suspicious/noExplicitAny: webhook bodies are read loosely in assertions.
async function deliver(input: Record<string, unknown>): Promise<any> {
  const before = receiver.posts.length;
  emulator.control.receive({ from: "5511988887777", name: "Maria", ...input });
  const posts = await receiver.waitForPosts(before + 1);
  // biome-ignore lint/suspicious/noExplicitAny: loosely read body.
  return (posts[before]?.json as any)?.entry[0].changes[0].value;
}

describe("every inbound message type of protocols.md A3.2", () => {
  it("text", async () => {
    const value = await deliver({ type: "text", text: { body: "Quero saber do meu pedido" } });
    expect(value.messages[0].text).toEqual({ body: "Quero saber do meu pedido" });
  });

  for (const [type, extra] of [
    ["image", { caption: "foto do defeito" }],
    ["video", { caption: "vídeo" }],
    ["document", { filename: "boleto.pdf", mime_type: "application/pdf" }],
    ["sticker", {}],
  ] as const) {
    it(`${type} with a media id the app can fetch`, async () => {
      const value = await deliver({
        type,
        [type]: { data: Buffer.from(`bytes of ${type}`).toString("base64"), ...extra },
      });
      const media = value.messages[0][type];
      expect(media).toMatchObject({
        id: expect.stringMatching(/^\d+$/),
        mime_type: expect.any(String),
        sha256: expect.any(String),
        ...extra,
      });
      if (type === "sticker") expect(media.animated).toBe(false);
      const info = await graph("GET", `/v24.0/${media.id}`);
      expect(info.status).toBe(200);
      const download = await fetch(info.body.url, {
        headers: { Authorization: `Bearer ${emulator.accessToken}` },
      });
      expect(Buffer.from(await download.arrayBuffer()).toString()).toBe(`bytes of ${type}`);
    });
  }

  it("audio as a voice note and as a forwarded file", async () => {
    const voice = await deliver({ type: "audio", audio: { mime_type: "audio/ogg; codecs=opus" } });
    expect(voice.messages[0].audio).toMatchObject({
      mime_type: "audio/ogg; codecs=opus",
      voice: true,
    });
    const file = await deliver({ type: "audio", audio: { mime_type: "audio/mpeg", voice: false } });
    expect(file.messages[0].audio.voice).toBe(false);
  });

  it("location", async () => {
    const location = {
      latitude: -23.5613,
      longitude: -46.6565,
      name: "Loja Paulista",
      address: "Av. Paulista, 1000",
    };
    const value = await deliver({ type: "location", location });
    expect(value.messages[0].location).toEqual(location);
  });

  it("contacts", async () => {
    const contacts = [
      {
        name: { formatted_name: "João Silva", first_name: "João" },
        phones: [{ phone: "+55 11 97777-6666", wa_id: "5511977776666", type: "CELL" }],
        emails: [{ email: "joao@example.com", type: "WORK" }],
      },
    ];
    const value = await deliver({ type: "contacts", contacts });
    expect(value.messages[0].contacts).toEqual(contacts);
  });

  it("interactive button_reply and list_reply with context from the business number", async () => {
    const button = await deliver({
      type: "interactive",
      context: { id: "wamid.OUT9" },
      interactive: { type: "button_reply", button_reply: { id: "btn_sim", title: "Sim" } },
    });
    expect(button.messages[0]).toMatchObject({
      type: "interactive",
      context: { from: "5511999990000", id: "wamid.OUT9" },
      interactive: { type: "button_reply", button_reply: { id: "btn_sim", title: "Sim" } },
    });
    const list = await deliver({
      type: "interactive",
      context: { id: "wamid.OUT10" },
      interactive: {
        type: "list_reply",
        list_reply: { id: "row_2via", title: "2ª via", description: "Boleto atualizado" },
      },
    });
    expect(list.messages[0].interactive.list_reply).toEqual({
      id: "row_2via",
      title: "2ª via",
      description: "Boleto atualizado",
    });
  });

  it("template quick-reply button (type button, not interactive)", async () => {
    const value = await deliver({
      type: "button",
      context: { id: "wamid.TPL1" },
      button: { text: "Confirmar", payload: "CONFIRMA_PEDIDO_123" },
    });
    expect(value.messages[0]).toMatchObject({
      type: "button",
      button: { text: "Confirmar", payload: "CONFIRMA_PEDIDO_123" },
    });
  });

  it("reaction and its removal (emoji missing)", async () => {
    const added = await deliver({
      type: "reaction",
      reaction: { message_id: "wamid.OUT9", emoji: "👍" },
    });
    expect(added.messages[0].reaction).toEqual({ message_id: "wamid.OUT9", emoji: "👍" });
    const removed = await deliver({ type: "reaction", reaction: { message_id: "wamid.OUT9" } });
    expect(removed.messages[0].reaction).toEqual({ message_id: "wamid.OUT9" });
  });

  it("unsupported with Meta's 131051 error", async () => {
    const value = await deliver({ type: "unsupported", unsupported: { type: "poll" } });
    expect(value.messages[0]).toMatchObject({
      type: "unsupported",
      unsupported: { type: "poll" },
      errors: [
        {
          code: 131051,
          title: "Message type unknown",
          message: "Message type unknown",
          error_data: { details: "Message type is currently not supported." },
        },
      ],
    });
  });

  it("system, request_welcome, forwarded context and referral", async () => {
    const system = await deliver({
      type: "system",
      system: { type: "user_changed_user_id", body: "novo id", user_id: "BR.999" },
    });
    expect(system.messages[0].system.type).toBe("user_changed_user_id");
    const welcome = await deliver({ type: "request_welcome" });
    expect(welcome.messages[0].type).toBe("request_welcome");
    const forwarded = await deliver({ type: "text", text: "fwd", context: { forwarded: true } });
    expect(forwarded.messages[0].context).toEqual({ forwarded: true });
    const referral = {
      source_url: "https://fb.me/ad",
      source_id: "1",
      source_type: "ad",
      headline: "Promo",
      ctwa_clid: "abc",
    };
    const ad = await deliver({ type: "text", text: "vi o anúncio", referral });
    expect(ad.messages[0].referral).toEqual(referral);
  });

  it("a username user who hides the phone (BSUID only, A9)", async () => {
    const before = receiver.posts.length;
    emulator.control.receive({
      userId: "BR.1502576394655843",
      username: "maria.s",
      name: "Maria S",
      hidePhone: true,
      type: "text",
      text: "oi",
    });
    const posts = await receiver.waitForPosts(before + 1);
    // biome-ignore lint/suspicious/noExplicitAny: loosely read body.
    const value = (posts[before]?.json as any)?.entry[0].changes[0].value;
    expect(value.contacts[0]).toEqual({
      profile: { name: "Maria S", username: "maria.s" },
      user_id: "BR.1502576394655843",
    });
    expect(value.messages[0].from).toBeUndefined();
    expect(value.messages[0].from_user_id).toBe("BR.1502576394655843");
  });

  it("a message routed to a foreign phone_number_id", async () => {
    const value = await deliver({
      type: "text",
      text: "outro número",
      phoneNumberId: "999999999999999",
    });
    expect(value.metadata.phone_number_id).toBe("999999999999999");
  });

  it("refuses a simulated message without a customer id", () => {
    expect(() => emulator.control.receive({ type: "text", text: "ninguém" })).toThrow(/from/);
  });
});
