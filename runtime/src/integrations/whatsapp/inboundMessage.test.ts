import { describe, expect, it } from "vitest";
import { parseInboundMessage, parseSender } from "./inboundMessage.js";

const base = { from: "5511988887777", id: "wamid.A1", timestamp: "1764230400" };
const context = { from: "5511999990000", id: "wamid.OUT9" };

describe("parseInboundMessage", () => {
  it("keeps the common fields: wamid, sender, time and reply context", () => {
    const parsed = parseInboundMessage({
      ...base,
      from_user_id: "BR.1A2B3C4D",
      context,
      type: "text",
      text: { body: "Quero saber do meu pedido" },
    });
    expect(parsed).toMatchObject({
      wamid: "wamid.A1",
      from: "5511988887777",
      fromUserId: "BR.1A2B3C4D",
      type: "text",
      content: { type: "text", body: "Quero saber do meu pedido" },
      text: "Quero saber do meu pedido",
      replyToWamid: "wamid.OUT9",
      media: null,
    });
    expect(parsed.sentAt.toISOString()).toBe("2025-11-27T08:00:00.000Z");
  });

  it("keeps text verbatim: SQL, HTML, control characters, emoji", () => {
    const body = "'; DROP TABLE messages; -- <script>alert(1)</script>\u0000\u0007\r\n\t👍🏽 ação";
    expect(parseInboundMessage({ ...base, type: "text", text: { body } }).content).toEqual({
      type: "text",
      body,
    });
  });

  it.each([
    [
      "image",
      { id: "1480000000001", mime_type: "image/jpeg", sha256: "abc", caption: "foto do defeito" },
    ],
    ["video", { id: "1480000000002", mime_type: "video/mp4", sha256: "abc", caption: "opcional" }],
    [
      "audio",
      { id: "1480000000003", mime_type: "audio/ogg; codecs=opus", sha256: "abc", voice: true },
    ],
    [
      "document",
      {
        id: "1480000000004",
        mime_type: "application/pdf",
        sha256: "abc",
        filename: "boleto.pdf",
        caption: "2ª via",
      },
    ],
    ["sticker", { id: "1480000000005", mime_type: "image/webp", sha256: "abc", animated: true }],
  ])("stores %s with its media to download", (type, media) => {
    const parsed = parseInboundMessage({ ...base, type, [type]: media });
    expect(parsed.content).toEqual({
      type,
      caption: "caption" in media ? media.caption : null,
      mimeType: media.mime_type,
      filename: "filename" in media ? media.filename : null,
      voice: "voice" in media,
      animated: "animated" in media,
    });
    expect(parsed.media).toEqual({
      id: media.id,
      kind: type,
      mimeType: media.mime_type,
      sha256: "abc",
      filename: "filename" in media ? media.filename : null,
    });
  });

  it("stores a location, with coordinates as numbers or strings", () => {
    const numeric = parseInboundMessage({
      ...base,
      type: "location",
      location: {
        latitude: -23.5613,
        longitude: -46.6565,
        name: "Loja Paulista",
        address: "Av. Paulista, 1000",
      },
    });
    expect(numeric.content).toEqual({
      type: "location",
      latitude: -23.5613,
      longitude: -46.6565,
      name: "Loja Paulista",
      address: "Av. Paulista, 1000",
      url: null,
    });
    const strings = parseInboundMessage({
      ...base,
      type: "location",
      location: { latitude: "-23.5", longitude: "-46.6" },
    });
    expect(strings.content).toMatchObject({ latitude: -23.5, longitude: -46.6, name: null });
  });

  it("stores shared contacts", () => {
    const parsed = parseInboundMessage({
      ...base,
      type: "contacts",
      contacts: [
        {
          name: { formatted_name: "João Silva", first_name: "João" },
          phones: [{ phone: "+55 11 97777-6666", wa_id: "5511977776666", type: "CELL" }],
          emails: [{ email: "joao@example.com", type: "WORK" }],
          org: { company: "ACME" },
        },
      ],
    });
    expect(parsed.content).toEqual({
      type: "contacts",
      contacts: [
        {
          name: "João Silva",
          phones: [{ phone: "+55 11 97777-6666", waId: "5511977776666", type: "CELL" }],
          emails: [{ email: "joao@example.com", type: "WORK" }],
          organization: "ACME",
        },
      ],
    });
  });

  it("stores interactive button and list replies with the message they answer", () => {
    const button = parseInboundMessage({
      ...base,
      type: "interactive",
      context,
      interactive: { type: "button_reply", button_reply: { id: "btn_sim", title: "Sim" } },
    });
    expect(button.content).toEqual({
      type: "interactive",
      replyType: "button_reply",
      id: "btn_sim",
      title: "Sim",
      description: null,
      responseJson: null,
    });
    expect(button.replyToWamid).toBe("wamid.OUT9");
    const list = parseInboundMessage({
      ...base,
      type: "interactive",
      context: { ...context, id: "wamid.OUT10" },
      interactive: {
        type: "list_reply",
        list_reply: { id: "row_2via", title: "2ª via", description: "Boleto atualizado" },
      },
    });
    expect(list.content).toMatchObject({
      replyType: "list_reply",
      id: "row_2via",
      description: "Boleto atualizado",
    });
    expect(list.text).toBe("2ª via");
  });

  it("stores a template quick-reply button", () => {
    const parsed = parseInboundMessage({
      ...base,
      type: "button",
      context: { ...context, id: "wamid.TPL1" },
      button: { text: "Confirmar", payload: "CONFIRMA_PEDIDO_123" },
    });
    expect(parsed.content).toEqual({
      type: "button",
      text: "Confirmar",
      payload: "CONFIRMA_PEDIDO_123",
    });
    expect(parsed.replyToWamid).toBe("wamid.TPL1");
  });

  it("stores a reaction and its removal", () => {
    expect(
      parseInboundMessage({
        ...base,
        type: "reaction",
        reaction: { message_id: "wamid.OUT9", emoji: "👍" },
      }).content,
    ).toEqual({ type: "reaction", targetWamid: "wamid.OUT9", emoji: "👍" });
    expect(
      parseInboundMessage({
        ...base,
        type: "reaction",
        reaction: { message_id: "wamid.OUT9", emoji: "" },
      }).content,
    ).toEqual({ type: "reaction", targetWamid: "wamid.OUT9", emoji: null });
    expect(
      parseInboundMessage({ ...base, type: "reaction", reaction: { message_id: "wamid.OUT9" } })
        .content,
    ).toMatchObject({ emoji: null });
  });

  it("stores unsupported messages with Meta's error", () => {
    const parsed = parseInboundMessage({
      ...base,
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
    expect(parsed.content).toEqual({
      type: "unsupported",
      originalType: "poll",
      errorCode: 131051,
      errorTitle: "Message type unknown",
      errorDetails: "Message type is currently not supported.",
      body: null,
    });
  });

  it("stores types it does not know (and system messages) as unsupported, never throwing", () => {
    expect(
      parseInboundMessage({ ...base, type: "order", order: { catalog_id: "1" } }).content,
    ).toMatchObject({
      type: "unsupported",
      originalType: "order",
    });
    expect(
      parseInboundMessage({
        ...base,
        type: "system",
        system: { type: "customer_changed_number", body: "Maria changed her number" },
      }).content,
    ).toMatchObject({
      type: "unsupported",
      originalType: "system",
      body: "Maria changed her number",
    });
    expect(parseInboundMessage({ ...base, type: "hologram_2030" }).type).toBe("hologram_2030");
  });

  it("turns known types with missing fields into unsupported with a reason", () => {
    for (const type of ["text", "image", "location", "contacts", "button", "reaction"]) {
      expect(parseInboundMessage({ ...base, type }).content).toMatchObject({
        type: "unsupported",
        originalType: type,
        errorTitle: "Malformed message",
      });
    }
  });

  it("refuses a message without an id", () => {
    expect(() => parseInboundMessage({ type: "text", text: { body: "x" } })).toThrow();
  });
});

describe("parseSender", () => {
  it("takes the BSUID and phone from contacts[], falling back to the message", () => {
    const message = parseInboundMessage({
      ...base,
      from_user_id: "BR.1",
      type: "text",
      text: { body: "x" },
    });
    expect(
      parseSender(
        {
          profile: { name: "Maria", username: "maria.s" },
          wa_id: "5511988887777",
          user_id: "BR.1",
        },
        message,
      ),
    ).toEqual({ waId: "5511988887777", userId: "BR.1", name: "Maria", username: "maria.s" });
    expect(parseSender(null, message)).toEqual({
      waId: "5511988887777",
      userId: "BR.1",
      name: null,
      username: null,
    });
  });

  it("accepts a username-only user with no phone number (A9)", () => {
    const message = parseInboundMessage({
      id: "wamid.B",
      from_user_id: "BR.99",
      timestamp: "1764230400",
      type: "text",
      text: { body: "oi" },
    });
    expect(parseSender({ profile: { name: "Ana" }, user_id: "BR.99" }, message)).toMatchObject({
      waId: null,
      userId: "BR.99",
    });
  });
});
