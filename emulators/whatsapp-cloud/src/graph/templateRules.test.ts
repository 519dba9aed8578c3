import { describe, expect, it } from "vitest";
import { GraphError } from "../errors.js";
import type { Template } from "../state/types.js";
import { checkTemplateSend, parseTemplateDefinition, placeholders } from "./templateRules.js";

const pedido = {
  name: "pedido_enviado",
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

function errorOf(fn: () => unknown): GraphError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GraphError) return error;
    throw error;
  }
  throw new Error("expected a GraphError");
}

function stored(definition: unknown, status: Template["status"] = "APPROVED"): Template {
  const parsed = parseTemplateDefinition(definition);
  return { ...parsed, id: "1627019861106475", status, rejectedReason: "NONE", seq: 1 };
}

describe("template creation rules", () => {
  it("accepts Meta's documented example and finds its variables", () => {
    expect(parseTemplateDefinition(pedido)).toMatchObject({
      name: "pedido_enviado",
      category: "UTILITY",
      parameterFormat: "POSITIONAL",
    });
    expect(placeholders("Olá {{1}}, pedido {{2}}")).toEqual(["1", "2"]);
  });

  it("rejects names with capitals, unknown categories and missing bodies", () => {
    expect(errorOf(() => parseTemplateDefinition({ ...pedido, name: "Pedido" })).code).toBe(100);
    expect(
      errorOf(() => parseTemplateDefinition({ ...pedido, category: "PROMO" })).details,
    ).toMatch(/category/);
    expect(
      errorOf(() =>
        parseTemplateDefinition({ ...pedido, components: [{ type: "FOOTER", text: "x" }] }),
      ).details,
    ).toMatch(/BODY component is required/);
  });

  it("requires examples for variables and sequential positions", () => {
    const noExample = { ...pedido, components: [{ type: "BODY", text: "Olá {{1}}, tudo bem?" }] };
    expect(errorOf(() => parseTemplateDefinition(noExample)).details).toMatch(/example/);
    const gap = {
      ...pedido,
      components: [
        { type: "BODY", text: "Olá {{1}} e {{3}}, ok?", example: { body_text: [["a", "b"]] } },
      ],
    };
    expect(errorOf(() => parseTemplateDefinition(gap)).details).toMatch(/sequential/);
  });

  it("refuses a variable at the very start or end of the body", () => {
    const end = {
      ...pedido,
      components: [{ type: "BODY", text: "Seu código é {{1}}", example: { body_text: [["123"]] } }],
    };
    expect(errorOf(() => parseTemplateDefinition(end)).subcode).toBe(2388299);
  });

  it("checks named parameter examples", () => {
    const named = {
      name: "oi",
      language: "pt_BR",
      category: "MARKETING",
      parameter_format: "NAMED",
      components: [
        {
          type: "BODY",
          text: "Olá {{cliente}}, tudo bem?",
          example: { body_text_named_params: [{ param_name: "outro", example: "x" }] },
        },
      ],
    };
    expect(errorOf(() => parseTemplateDefinition(named)).details).toMatch(/cliente/);
  });

  it("limits button text to 25 characters and buttons to 10", () => {
    const long = {
      ...pedido,
      components: [
        pedido.components[1],
        { type: "BUTTONS", buttons: [{ type: "QUICK_REPLY", text: "x".repeat(26) }] },
      ],
    };
    expect(errorOf(() => parseTemplateDefinition(long)).details).toMatch(
      /Button text length invalid/,
    );
    const many = {
      ...pedido,
      components: [
        pedido.components[1],
        {
          type: "BUTTONS",
          buttons: Array.from({ length: 11 }, (_, i) => ({ type: "QUICK_REPLY", text: `b${i}` })),
        },
      ],
    };
    expect(errorOf(() => parseTemplateDefinition(many)).details).toMatch(/Max count: 10/);
  });
});

describe("template send checks", () => {
  const send = (components: unknown[], language = "pt_BR") => ({
    name: "pedido_enviado",
    language: { code: language },
    components: components as never,
  });
  const full = [
    { type: "header", parameters: [{ type: "text", text: "#123" }] },
    {
      type: "body",
      parameters: [
        { type: "text", text: "Maria" },
        { type: "text", text: "#123" },
      ],
    },
    {
      type: "button",
      sub_type: "quick_reply",
      index: "0",
      parameters: [{ type: "payload", payload: "RASTREAR_123" }],
    },
    { type: "button", sub_type: "url", index: "1", parameters: [{ type: "text", text: "123" }] },
  ];

  it("renders header, body, footer and buttons", () => {
    const { rendered } = checkTemplateSend([stored(pedido)], send(full));
    expect(rendered).toEqual({
      header: { format: "TEXT", text: "Pedido #123" },
      body: "Olá Maria, seu pedido #123 foi enviado.",
      footer: "Loja Exemplo",
      buttons: [
        { type: "QUICK_REPLY", text: "Rastrear", payload: "RASTREAR_123" },
        { type: "URL", text: "Ver pedido", url: "https://loja.example/p/123" },
      ],
    });
  });

  it("answers 132000 when the body parameter count differs", () => {
    const error = errorOf(() =>
      checkTemplateSend(
        [stored(pedido)],
        send([full[0], { type: "body", parameters: [{ type: "text", text: "Maria" }] }, full[3]]),
      ),
    );
    expect(error.code).toBe(132000);
    expect(error.details).toMatch(
      /body: number of localizable_params \(1\) does not match the expected number of params \(2\)/,
    );
  });

  it("answers 132001 for an unknown name or language, and for templates not approved", () => {
    expect(errorOf(() => checkTemplateSend([stored(pedido)], send(full, "en_US"))).code).toBe(
      132001,
    );
    expect(errorOf(() => checkTemplateSend([stored(pedido, "PENDING")], send(full))).code).toBe(
      132001,
    );
    expect(errorOf(() => checkTemplateSend([stored(pedido, "REJECTED")], send(full))).code).toBe(
      132001,
    );
  });

  it("answers 132015 when paused and 132016 when disabled", () => {
    expect(errorOf(() => checkTemplateSend([stored(pedido, "PAUSED")], send(full))).code).toBe(
      132015,
    );
    expect(errorOf(() => checkTemplateSend([stored(pedido, "DISABLED")], send(full))).code).toBe(
      132016,
    );
  });

  it("answers 132012 when a media header gets text", () => {
    const image = {
      ...pedido,
      components: [{ type: "HEADER", format: "IMAGE" }, pedido.components[1]],
    };
    const error = errorOf(() => checkTemplateSend([stored(image)], send([full[0], full[1]])));
    expect(error.code).toBe(132012);
  });

  it("refuses parameters with new lines", () => {
    const error = errorOf(() =>
      checkTemplateSend(
        [stored(pedido)],
        send([
          full[0],
          {
            type: "body",
            parameters: [
              { type: "text", text: "a\nb" },
              { type: "text", text: "c" },
            ],
          },
          full[3],
        ]),
      ),
    );
    expect(error.code).toBe(100);
  });
});
