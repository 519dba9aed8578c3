import { describe, expect, it } from "vitest";
import { filledTemplateText } from "./outboundMessage.js";

const components = [
  { type: "HEADER", format: "TEXT", text: "Pedido {{1}}" },
  { type: "BODY", text: "Olá {{1}}, seu pedido {{2}} foi enviado." },
  { type: "FOOTER", text: "Loja Exemplo" },
  { type: "BUTTONS", buttons: [{ type: "QUICK_REPLY", text: "Rastrear" }] },
];

describe("filledTemplateText", () => {
  it("fills positional variables of the header and body in order, and keeps the footer", () => {
    expect(
      filledTemplateText(components, {
        type: "template",
        name: "pedido_enviado",
        language: "pt_BR",
        header: { type: "text", text: "#123" },
        body: [
          { type: "text", text: "Maria" },
          { type: "text", text: "#123" },
        ],
      }),
    ).toEqual({
      header: "Pedido #123",
      body: "Olá Maria, seu pedido #123 foi enviado.",
      footer: "Loja Exemplo",
    });
  });

  it("fills named variables by name, whatever their order, and leaves a missing one visible", () => {
    const named = [{ type: "BODY", text: "Oi {{nome}}, o código é {{codigo}} ({{validade}})." }];
    expect(
      filledTemplateText(named, {
        type: "template",
        name: "codigo",
        language: "pt_BR",
        body: [
          { type: "text", name: "codigo", text: "4821" },
          { type: "text", name: "nome", text: "Ana" },
        ],
      }),
    ).toEqual({ header: null, body: "Oi Ana, o código é 4821 ({{validade}}).", footer: null });
  });

  it("has no header text when the header is a file", () => {
    const withImage = [
      { type: "HEADER", format: "IMAGE" },
      { type: "BODY", text: "Segue a nota." },
    ];
    expect(
      filledTemplateText(withImage, {
        type: "template",
        name: "nota",
        language: "pt_BR",
        header: { type: "image", link: "https://cdn.example.test/nf.jpg" },
      }),
    ).toEqual({ header: null, body: "Segue a nota.", footer: null });
  });
});
