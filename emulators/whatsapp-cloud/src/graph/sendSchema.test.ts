import { describe, expect, it } from "vitest";
import { GraphError } from "../errors.js";
import { parseMessagesBody } from "./sendSchema.js";

const base = { messaging_product: "whatsapp", recipient_type: "individual", to: "5511988887777" };

function rejection(body: unknown): { code: number; details: string | undefined } {
  try {
    parseMessagesBody(body);
  } catch (error) {
    if (error instanceof GraphError) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error("expected the body to be rejected");
}

const buttons = (n: number, title = "Opção") =>
  Array.from({ length: n }, (_, i) => ({
    type: "reply",
    reply: { id: `b${i}`, title: `${title} ${i}` },
  }));

const listBody = (sections: unknown[]) => ({
  ...base,
  type: "interactive",
  interactive: {
    type: "list",
    body: { text: "Escolha" },
    action: { button: "Ver opções", sections },
  },
});

const rows = (n: number, prefix = "r") =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, title: `Linha ${i}` }));

describe("parseMessagesBody accepts every send type of protocols.md A4", () => {
  const valid: [string, Record<string, unknown>][] = [
    [
      "text with reply context",
      {
        type: "text",
        context: { message_id: "wamid.A1" },
        text: { body: "Seu pedido sai hoje: https://loja.example/p/123", preview_url: true },
      },
    ],
    ["image by id", { type: "image", image: { id: "1480000000099", caption: "Segue a foto" } }],
    ["image by link", { type: "image", image: { link: "https://cdn.example/a.jpg" } }],
    ["audio voice note", { type: "audio", audio: { id: "1480000000100", voice: true } }],
    ["video", { type: "video", video: { link: "https://cdn.example/v.mp4", caption: "vídeo" } }],
    [
      "document with filename",
      {
        type: "document",
        document: {
          link: "https://cdn.example/nf.pdf",
          filename: "nota-fiscal.pdf",
          caption: "NF",
        },
      },
    ],
    ["sticker", { type: "sticker", sticker: { id: "1480000000101" } }],
    [
      "location (string coordinates)",
      {
        type: "location",
        location: {
          latitude: "-23.5613",
          longitude: -46.6565,
          name: "Loja",
          address: "Av. Paulista",
        },
      },
    ],
    [
      "contacts",
      {
        type: "contacts",
        contacts: [
          { name: { formatted_name: "João Silva" }, phones: [{ phone: "+55 11 97777-6666" }] },
        ],
      },
    ],
    [
      "reply buttons",
      {
        type: "interactive",
        interactive: {
          type: "button",
          header: { type: "text", text: "Atendimento" },
          body: { text: "Resolvido?" },
          footer: { text: "Loja" },
          action: { buttons: buttons(3) },
        },
      },
    ],
    [
      "list with 10 rows over two sections",
      listBody([
        { title: "Financeiro", rows: rows(5, "f") },
        { title: "Suporte", rows: rows(5, "s") },
      ]),
    ],
    [
      "cta_url",
      {
        type: "interactive",
        interactive: {
          type: "cta_url",
          body: { text: "Veja" },
          action: {
            name: "cta_url",
            parameters: { display_text: "Abrir", url: "https://loja.example" },
          },
        },
      },
    ],
    [
      "template with components",
      {
        type: "template",
        template: {
          name: "pedido_enviado",
          language: { code: "pt_BR" },
          components: [{ type: "body", parameters: [{ type: "text", text: "Maria" }] }],
        },
      },
    ],
    ["reaction", { type: "reaction", reaction: { message_id: "wamid.A1", emoji: "👍" } }],
    [
      "reaction removal (empty emoji)",
      { type: "reaction", reaction: { message_id: "wamid.A1", emoji: "" } },
    ],
  ];
  for (const [name, body] of valid) {
    it(`accepts ${name}`, () => {
      const parsed = parseMessagesBody({ ...base, ...body });
      expect(parsed.kind).toBe("send");
    });
  }

  it("defaults type to text and normalises a formatted phone number", () => {
    const parsed = parseMessagesBody({
      messaging_product: "whatsapp",
      to: "+55 (11) 98888-7777",
      text: { body: "oi" },
    });
    expect(parsed).toMatchObject({
      kind: "send",
      type: "text",
      recipient: { input: "+55 (11) 98888-7777", phone: "5511988887777" },
    });
  });

  it("accepts a BSUID recipient instead of to", () => {
    const parsed = parseMessagesBody({
      messaging_product: "whatsapp",
      recipient: "BR.1502576394655843",
      type: "text",
      text: { body: "oi" },
    });
    expect(parsed).toMatchObject({
      recipient: { userId: "BR.1502576394655843", phone: undefined },
    });
  });

  it("parses mark-as-read with a typing indicator", () => {
    expect(
      parseMessagesBody({
        messaging_product: "whatsapp",
        status: "read",
        message_id: "wamid.A1",
        typing_indicator: { type: "text" },
      }),
    ).toEqual({ kind: "read", messageId: "wamid.A1", typing: true });
  });
});

describe("parseMessagesBody enforces Meta's limits with code 100", () => {
  const cases: [string, unknown, RegExp][] = [
    [
      "more than 3 reply buttons",
      {
        ...base,
        type: "interactive",
        interactive: { type: "button", body: { text: "?" }, action: { buttons: buttons(4) } },
      },
      /Max count: 3/,
    ],
    [
      "a button title over 20 characters",
      {
        ...base,
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: "?" },
          action: { buttons: [{ type: "reply", reply: { id: "a", title: "x".repeat(21) } }] },
        },
      },
      /Button title length invalid/,
    ],
    [
      "duplicate button ids",
      {
        ...base,
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: "?" },
          action: {
            buttons: [
              { type: "reply", reply: { id: "a", title: "Um" } },
              { type: "reply", reply: { id: "a", title: "Dois" } },
            ],
          },
        },
      },
      /unique/,
    ],
    [
      "a button id with trailing spaces",
      {
        ...base,
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: "?" },
          action: { buttons: [{ type: "reply", reply: { id: "a ", title: "Um" } }] },
        },
      },
      /leading or trailing/,
    ],
    [
      "more than 10 list rows in total",
      listBody([
        { title: "A", rows: rows(6, "a") },
        { title: "B", rows: rows(5, "b") },
      ]),
      /Total row count exceed max allowed count: 10/,
    ],
    [
      "a list row title over 24 characters",
      listBody([{ rows: [{ id: "r", title: "y".repeat(25) }] }]),
      /Row title length invalid/,
    ],
    [
      "a list row description over 72 characters",
      listBody([{ rows: [{ id: "r", title: "ok", description: "d".repeat(73) }] }]),
      /Row description length invalid/,
    ],
    [
      "sections without titles when there are several",
      listBody([{ rows: rows(1, "a") }, { rows: rows(1, "b") }]),
      /Section title is required/,
    ],
    [
      "a list button label over 20 characters",
      {
        ...listBody([{ rows: rows(1) }]),
        interactive: {
          type: "list",
          body: { text: "?" },
          action: { button: "z".repeat(21), sections: [{ rows: rows(1) }] },
        },
      },
      /Button label length invalid/,
    ],
    [
      "a header over 60 characters",
      {
        ...base,
        type: "interactive",
        interactive: {
          type: "button",
          header: { type: "text", text: "h".repeat(61) },
          body: { text: "?" },
          action: { buttons: buttons(1) },
        },
      },
      /Header text length invalid/,
    ],
    [
      "an interactive body over 1024 characters",
      {
        ...base,
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: "b".repeat(1025) },
          action: { buttons: buttons(1) },
        },
      },
      /Body text length invalid/,
    ],
    [
      "a footer over 60 characters",
      {
        ...base,
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: "?" },
          footer: { text: "f".repeat(61) },
          action: { buttons: buttons(1) },
        },
      },
      /Footer text length invalid/,
    ],
    [
      "a text body over 4096 characters",
      { ...base, type: "text", text: { body: "t".repeat(4097) } },
      /4096/,
    ],
    [
      "a caption on audio",
      { ...base, type: "audio", audio: { id: "1", caption: "no" } },
      /caption/,
    ],
    [
      "a caption on a sticker",
      { ...base, type: "sticker", sticker: { id: "1", caption: "no" } },
      /caption/,
    ],
    [
      "media with both id and link",
      { ...base, type: "image", image: { id: "1", link: "https://cdn.example/a.jpg" } },
      /not both/,
    ],
    [
      "a filename on an image",
      { ...base, type: "image", image: { id: "1", filename: "a.jpg" } },
      /filename/,
    ],
    ["an unknown type", { ...base, type: "poll", poll: {} }, /Param type must be one of/],
    [
      "a recipient that is not a phone number",
      { ...base, to: "abc", type: "text", text: { body: "x" } },
      /not a valid phone number/,
    ],
    [
      "biz_opaque_callback_data over 512 bytes",
      { ...base, type: "text", text: { body: "x" }, biz_opaque_callback_data: "ç".repeat(257) },
      /512 bytes/,
    ],
    [
      "a wrong messaging_product",
      { ...base, messaging_product: "sms", type: "text", text: { body: "x" } },
      /messaging_product/,
    ],
    [
      "latitude out of range",
      { ...base, type: "location", location: { latitude: 91, longitude: 0 } },
      /latitude/,
    ],
  ];
  for (const [name, body, details] of cases) {
    it(`rejects ${name}`, () => {
      const result = rejection(body);
      expect(result.code).toBe(100);
      expect(result.details).toMatch(details);
    });
  }
});

describe("parseMessagesBody reports missing parameters with 131008", () => {
  it("names a missing nested parameter Meta's way", () => {
    expect(rejection({ ...base, type: "text", text: {} })).toEqual({
      code: 131008,
      details: "The parameter text['body'] is required.",
    });
  });

  it("requires the type object, the recipient and messaging_product", () => {
    expect(rejection({ ...base, type: "image" })).toEqual({
      code: 131008,
      details: "The parameter image is required.",
    });
    expect(rejection({ messaging_product: "whatsapp", text: { body: "x" } }).code).toBe(131008);
    expect(rejection({ to: "5511988887777", text: { body: "x" } })).toEqual({
      code: 131008,
      details: "The parameter messaging_product is required.",
    });
  });

  it("requires either id or link on media", () => {
    expect(rejection({ ...base, type: "document", document: { filename: "a.pdf" } })).toEqual({
      code: 131008,
      details: "Param document must contain either id or link",
    });
  });
});
