import type { TemplateDraft } from "../integrations/whatsapp/templates/templateRules.js";

/** protocols.md A6's example template, valid as given; `name` renames it. */
export function exampleTemplate(name = "pedido_enviado"): TemplateDraft {
  return {
    name,
    language: "pt_BR",
    category: "UTILITY",
    components: [
      { type: "HEADER", format: "TEXT", text: "Pedido {{1}}", example: { header_text: ["#123"] } },
      {
        type: "BODY",
        text: "Olá {{1}}, seu pedido {{2}} foi enviado.",
        example: { body_text: [["Maria", "#123"]] },
      },
      { type: "FOOTER", text: "Loja Exemplo" },
      {
        type: "BUTTONS",
        buttons: [
          { type: "QUICK_REPLY", text: "Rastrear" },
          {
            type: "URL",
            text: "Ver pedido",
            url: "https://loja.example/p/{{1}}",
            example: ["https://loja.example/p/123"],
          },
        ],
      },
    ],
  };
}
