import { describe, expect, it } from "vitest";
import { SendMessageSchema } from "./outbound-messages.js";

const send = (message: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  SendMessageSchema.safeParse({ clientKey: "key-12345678", message, ...extra });
const firstIssue = (result: ReturnType<typeof send>) =>
  result.success ? undefined : result.error.issues[0]?.message;

describe("SendMessageSchema (Meta's limits)", () => {
  it("accepts text up to 4096 characters, verbatim, and refuses more or blank", () => {
    const text = `  ' OR 1=1; -- <script>alert(1)</script>\u0007 ${"a".repeat(4000)}`;
    const ok = send({ type: "text", body: text, previewUrl: true });
    expect(ok.success && ok.data.message.type === "text" && ok.data.message.body).toBe(text);
    expect(send({ type: "text", body: "a".repeat(4097) }).success).toBe(false);
    expect(send({ type: "text", body: "   " }).success).toBe(false);
  });

  it("wants exactly one of an https link or an upload id for media", () => {
    expect(send({ type: "image", link: "https://cdn.example/a.jpg", caption: "oi" }).success).toBe(
      true,
    );
    expect(send({ type: "image", uploadId: 3 }).success).toBe(true);
    expect(send({ type: "image" }).success).toBe(false);
    expect(send({ type: "image", uploadId: 3, link: "https://cdn.example/a.jpg" }).success).toBe(
      false,
    );
    expect(send({ type: "image", link: "http://cdn.example/a.jpg" }).success).toBe(false);
    expect(send({ type: "image", link: "https://u:p@cdn.example/a.jpg" }).success).toBe(false);
  });

  it("refuses a caption on audio and stickers and a filename outside documents", () => {
    expect(send({ type: "audio", uploadId: 1, caption: "x" }).success).toBe(false);
    expect(send({ type: "sticker", uploadId: 1, caption: "x" }).success).toBe(false);
    expect(send({ type: "image", uploadId: 1, filename: "a.jpg" }).success).toBe(false);
    expect(send({ type: "document", uploadId: 1, filename: "nota.pdf" }).success).toBe(true);
    expect(send({ type: "document", uploadId: 1, filename: "../etc/passwd" }).success).toBe(false);
  });

  it("holds reply buttons to 1–3 unique buttons with titles of at most 20 characters", () => {
    const button = (id: string, title: string) => ({ id, title });
    const buttons = (list: unknown[]) =>
      send({ type: "buttons", body: "Resolvido?", buttons: list });
    expect(buttons([button("sim", "Sim"), button("nao", "Não")]).success).toBe(true);
    expect(buttons([]).success).toBe(false);
    expect(buttons([1, 2, 3, 4].map((n) => button(`b${n}`, `B${n}`))).success).toBe(false);
    expect(buttons([button("a", "x".repeat(21))]).success).toBe(false);
    expect(firstIssue(buttons([button("a", "Sim"), button("a", "Não")]))).toBe(
      "button ids must be unique",
    );
    expect(firstIssue(buttons([button("a", "Sim"), button("b", "Sim")]))).toBe(
      "button titles must be unique",
    );
    expect(buttons([button(" a", "Sim")]).success).toBe(false);
    expect(
      send({ type: "buttons", body: "x".repeat(1025), buttons: [button("a", "A")] }).success,
    ).toBe(false);
  });

  it("holds lists to 10 rows in total, titled sections and Meta's text limits", () => {
    const row = (n: number) => ({ id: `r${n}`, title: `Opção ${n}` });
    const list = (sections: unknown[], button = "Ver opções") =>
      send({ type: "list", body: "Escolha", button, sections });
    expect(list([{ rows: [row(1), row(2)] }]).success).toBe(true);
    expect(
      list([
        { title: "A", rows: [1, 2, 3, 4, 5, 6].map(row) },
        { title: "B", rows: [7, 8, 9, 10, 11].map(row) },
      ]).success,
    ).toBe(false);
    expect(list([{ rows: [row(1)] }, { rows: [row(2)] }]).success).toBe(false);
    expect(list([{ rows: [{ id: "r", title: "x".repeat(25) }] }]).success).toBe(false);
    expect(list([{ rows: [{ id: "r", title: "x", description: "d".repeat(73) }] }]).success).toBe(
      false,
    );
    expect(list([{ rows: [row(1)] }], "b".repeat(21)).success).toBe(false);
    expect(list([{ rows: [row(1), row(1)] }]).success).toBe(false);
  });

  it("accepts templates with header, body and button parameters", () => {
    expect(
      send({
        type: "template",
        name: "pedido_enviado",
        language: "pt_BR",
        header: { type: "image", link: "https://cdn.example/banner.jpg" },
        body: [
          { type: "text", text: "Maria" },
          { type: "text", text: "#123" },
        ],
        buttons: [{ index: 0, subType: "quick_reply", value: "RASTREAR" }],
      }).success,
    ).toBe(true);
    expect(send({ type: "template", name: "Pedido Enviado", language: "pt_BR" }).success).toBe(
      false,
    );
    expect(send({ type: "template", name: "x", language: "portuguese" }).success).toBe(false);
  });

  it("takes reactions (empty emoji removes) and refuses unknown fields and bad keys", () => {
    expect(send({ type: "reaction", messageId: 4, emoji: "👍" }).success).toBe(true);
    expect(send({ type: "reaction", messageId: 4, emoji: "" }).success).toBe(true);
    expect(send({ type: "text", body: "oi", to: "5511999999999" }).success).toBe(false);
    expect(
      SendMessageSchema.safeParse({ clientKey: "short", message: { type: "text", body: "oi" } })
        .success,
    ).toBe(false);
  });
});
