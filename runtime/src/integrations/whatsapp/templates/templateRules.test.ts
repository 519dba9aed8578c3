import { describe, expect, it } from "vitest";
import { exampleTemplate } from "../../../test/templates.js";
import {
  type ButtonDraft,
  type ComponentDraft,
  parameterFormatOf,
  type TemplateDraft,
  templateVariables,
  validateTemplate,
} from "./templateRules.js";
import { parseTemplateCreate } from "./templateSchema.js";

/** protocols.md A6's example: valid as given. */
const validTemplate = (): TemplateDraft => exampleTemplate();

/** The template with one component replaced (or removed with `null`). */
function withComponent(
  type: ComponentDraft["type"],
  component: ComponentDraft | null,
): TemplateDraft {
  const template = validTemplate();
  const others = template.components.filter((c) => c.type !== type);
  return { ...template, components: component === null ? others : [...others, component] };
}

function withBody(text: string, examples?: string[]): TemplateDraft {
  return withComponent("BODY", {
    type: "BODY",
    text,
    ...(examples === undefined ? {} : { example: { body_text: [examples] } }),
  });
}

function withButtons(buttons: ButtonDraft[]): TemplateDraft {
  return withComponent("BUTTONS", { type: "BUTTONS", buttons });
}

/** The rule ids broken, by field. */
function rules(template: TemplateDraft): Record<string, string> {
  return Object.fromEntries(validateTemplate(template).map((e) => [e.field, e.rule]));
}

const quick = (text: string): ButtonDraft => ({ type: "QUICK_REPLY", text });

describe("validateTemplate", () => {
  it("accepts the reference example with header, body, footer and buttons", () => {
    expect(validateTemplate(validTemplate())).toEqual([]);
  });

  describe("name", () => {
    it("refuses an empty name", () => {
      expect(rules({ ...validTemplate(), name: "" })).toEqual({ name: "name_required" });
    });

    it("refuses uppercase letters, spaces, hyphens and accents", () => {
      for (const name of ["Pedido", "pedido enviado", "pedido-enviado", "promoção"]) {
        expect(rules({ ...validTemplate(), name })).toEqual({ name: "name_format" });
      }
    });

    it("accepts 512 characters and refuses 513", () => {
      expect(rules({ ...validTemplate(), name: "a".repeat(512) })).toEqual({});
      expect(rules({ ...validTemplate(), name: "a".repeat(513) })).toEqual({
        name: "name_too_long",
      });
    });
  });

  it("refuses a category other than MARKETING, UTILITY or AUTHENTICATION", () => {
    expect(rules({ ...validTemplate(), category: "TRANSACTIONAL" })).toEqual({
      category: "category_invalid",
    });
  });

  it("refuses language codes outside Meta's list, including pt-BR with a hyphen", () => {
    for (const language of ["pt-BR", "pt", "xx_YY", ""]) {
      expect(rules({ ...validTemplate(), language })).toEqual({ language: "language_unsupported" });
    }
    for (const language of ["pt_BR", "en_US", "es", "zh_CN"]) {
      expect(rules({ ...validTemplate(), language })).toEqual({});
    }
  });

  it("refuses two components of the same type", () => {
    const template = validTemplate();
    template.components.push({ type: "FOOTER", text: "Outro rodapé" });
    expect(rules(template)).toEqual({ components: "component_duplicate" });
  });

  describe("body", () => {
    it("is required", () => {
      expect(rules(withComponent("BODY", null))).toEqual({ "body.text": "body_required" });
      expect(rules(withBody("   "))).toEqual({ "body.text": "body_text_required" });
    });

    it("accepts 1024 characters and refuses 1025 (an emoji counts as one)", () => {
      expect(rules(withBody("a".repeat(1024)))).toEqual({});
      expect(rules(withBody(`${"a".repeat(1023)}😀`))).toEqual({});
      expect(rules(withBody("a".repeat(1025)))).toEqual({ "body.text": "body_too_long" });
    });
  });

  describe("variables", () => {
    it("must be numbered {{1}}, {{2}}, … in order of appearance", () => {
      expect(rules(withBody("Olá {{2}}, pedido {{1}} ok", ["a", "b"]))).toEqual({
        "body.text": "variables_not_sequential",
      });
      expect(rules(withBody("Olá {{1}}, pedido {{3}} ok", ["a", "b"]))).toEqual({
        "body.text": "variables_not_sequential",
      });
      expect(rules(withBody("Olá {{1}}, de novo {{1}} e {{2}} ok", ["a", "b"]))).toEqual({});
    });

    it("must be well formed", () => {
      for (const body of [
        "Olá {{nome}} tudo bem",
        "Olá {{ #1 }} ok",
        "Olá {{1} ok",
        "Olá {{}} ok",
      ]) {
        expect(rules(withBody(body, ["a"]))).toEqual({ "body.text": "variable_format" });
      }
    });

    it("cannot sit side by side", () => {
      expect(rules(withBody("Olá {{1}}{{2}} ok", ["a", "b"]))).toEqual({
        "body.text": "variables_adjacent",
      });
      expect(rules(withBody("Olá {{1}} {{2}} ok", ["a", "b"]))).toEqual({
        "body.text": "variables_adjacent",
      });
    });

    it("cannot open or close the body", () => {
      expect(rules(withBody("{{1}}, seu pedido saiu", ["Maria"]))).toEqual({
        "body.text": "variable_at_edge",
      });
      expect(rules(withBody("Seu pedido é o {{1}}", ["#1"]))).toEqual({
        "body.text": "variable_at_edge",
      });
      expect(rules(withBody("Seu pedido é o {{1}}.", ["#1"]))).toEqual({});
    });

    it("each needs a non-blank example value", () => {
      expect(rules(withBody("Olá {{1}}, pedido {{2}} ok"))).toEqual({
        "body.example": "examples_missing",
      });
      expect(rules(withBody("Olá {{1}}, pedido {{2}} ok", ["Maria"]))).toEqual({
        "body.example": "examples_missing",
      });
      expect(rules(withBody("Olá {{1}}, pedido {{2}} ok", ["Maria", " "]))).toEqual({
        "body.example.1": "example_empty",
      });
    });
  });

  describe("header", () => {
    const header = (text: string, example?: string[]): TemplateDraft =>
      withComponent("HEADER", {
        type: "HEADER",
        format: "TEXT",
        text,
        ...(example === undefined ? {} : { example: { header_text: example } }),
      });

    it("accepts 60 characters and refuses 61", () => {
      expect(rules(header("a".repeat(60)))).toEqual({});
      expect(rules(header("a".repeat(61)))).toEqual({ "header.text": "header_too_long" });
    });

    it("has at most one variable, with an example", () => {
      expect(rules(header("Pedido {{1}} de {{2}}", ["a", "b"]))).toEqual({
        "header.text": "header_too_many_variables",
      });
      expect(rules(header("Pedido {{1}}"))).toEqual({ "header.example": "examples_missing" });
      expect(rules(header("{{1}}", ["#123"]))).toEqual({});
    });

    it("refuses line breaks, asterisks and emoji", () => {
      for (const text of ["Pedido\nenviado", "*Pedido*", "Pedido 🚚"]) {
        expect(rules(header(text))).toEqual({ "header.text": "header_characters" });
      }
    });

    it("needs text, and a media header needs an example file", () => {
      expect(rules(header(""))).toEqual({ "header.text": "header_text_required" });
      expect(rules(withComponent("HEADER", { type: "HEADER", format: "IMAGE" }))).toEqual({
        "header.example": "header_media_example_required",
      });
      expect(
        rules(
          withComponent("HEADER", {
            type: "HEADER",
            format: "IMAGE",
            example: { header_handle: ["4::aW1hZ2U="] },
          }),
        ),
      ).toEqual({});
    });
  });

  describe("footer", () => {
    it("accepts 60 characters and refuses 61", () => {
      expect(rules(withComponent("FOOTER", { type: "FOOTER", text: "a".repeat(60) }))).toEqual({});
      expect(rules(withComponent("FOOTER", { type: "FOOTER", text: "a".repeat(61) }))).toEqual({
        "footer.text": "footer_too_long",
      });
    });

    it("has no variables and is not empty", () => {
      expect(rules(withComponent("FOOTER", { type: "FOOTER", text: "Loja {{1}}" }))).toEqual({
        "footer.text": "footer_variables",
      });
      expect(rules(withComponent("FOOTER", { type: "FOOTER", text: "" }))).toEqual({
        "footer.text": "footer_text_required",
      });
    });
  });

  describe("buttons", () => {
    it("allows 10 and refuses 11", () => {
      const ten = Array.from({ length: 10 }, (_, i) => quick(`Opção ${i}`));
      expect(rules(withButtons(ten))).toEqual({});
      expect(rules(withButtons([...ten, quick("Opção 10")]))).toEqual({
        buttons: "buttons_too_many",
      });
    });

    it("refuses an empty list", () => {
      expect(rules(withButtons([]))).toEqual({ buttons: "buttons_required" });
    });

    it("limits button text to 25 characters, not blank, not repeated", () => {
      expect(rules(withButtons([quick("a".repeat(25))]))).toEqual({});
      expect(rules(withButtons([quick("a".repeat(26))]))).toEqual({
        "buttons.0.text": "button_text_too_long",
      });
      expect(rules(withButtons([quick(" ")]))).toEqual({
        "buttons.0.text": "button_text_required",
      });
      expect(rules(withButtons([quick("Sim"), quick("sim")]))).toEqual({
        "buttons.1.text": "button_text_duplicate",
      });
    });

    it("keeps quick replies and call-to-action buttons in separate groups", () => {
      const url = { type: "URL", text: "Site", url: "https://loja.example" };
      expect(rules(withButtons([quick("A"), url, quick("B")]))).toEqual({
        buttons: "buttons_not_grouped",
      });
      expect(rules(withButtons([quick("A"), quick("B"), url]))).toEqual({});
    });

    it("allows at most two URL buttons and one phone button", () => {
      const url = (n: number): ButtonDraft => ({
        type: "URL",
        text: `Site ${n}`,
        url: "https://a.example",
      });
      const phone = (n: number): ButtonDraft => ({
        type: "PHONE_NUMBER",
        text: `Ligar ${n}`,
        phone_number: "+5511999990000",
      });
      expect(rules(withButtons([url(1), url(2), phone(1)]))).toEqual({});
      expect(rules(withButtons([url(1), url(2), url(3)]))).toEqual({
        buttons: "url_buttons_too_many",
      });
      expect(rules(withButtons([phone(1), phone(2)]))).toEqual({
        buttons: "phone_buttons_too_many",
      });
    });

    it("takes one URL variable, only at the end, with a full example link", () => {
      const url = (address: string, example?: string[]): ButtonDraft => ({
        type: "URL",
        text: "Ver",
        url: address,
        ...(example === undefined ? {} : { example }),
      });
      expect(
        rules(withButtons([url("https://a.example/p/{{1}}", ["https://a.example/p/1"])])),
      ).toEqual({});
      expect(
        rules(withButtons([url("https://a.example/{{1}}/x", ["https://a.example/1/x"])])),
      ).toEqual({
        "buttons.0.url": "url_variables",
      });
      expect(rules(withButtons([url("https://a.example/{{1}}/{{2}}", ["x"])]))).toEqual({
        "buttons.0.url": "url_variables",
      });
      expect(rules(withButtons([url("https://a.example/p/{{1}}")]))).toEqual({
        "buttons.0.example": "url_example_missing",
      });
      expect(rules(withButtons([url("loja.example/p")]))).toEqual({
        "buttons.0.url": "url_invalid",
      });
      expect(rules(withButtons([url("javascript:alert(1)")]))).toEqual({
        "buttons.0.url": "url_invalid",
      });
    });

    it("needs a phone number with digits only", () => {
      const phone = (number: string): ButtonDraft => ({
        type: "PHONE_NUMBER",
        text: "Ligar",
        phone_number: number,
      });
      expect(rules(withButtons([phone("+55 11 9999")]))).toEqual({
        "buttons.0.phone_number": "phone_invalid",
      });
      expect(rules(withButtons([phone("5511999990000")]))).toEqual({});
    });

    it("keeps one-time code buttons for authentication templates", () => {
      expect(rules(withButtons([{ type: "OTP", otp_type: "COPY_CODE" }]))).toEqual({
        "buttons.0.type": "otp_button_only_for_authentication",
      });
    });
  });

  describe("authentication templates", () => {
    const authentication = (components: ComponentDraft[]): TemplateDraft => ({
      name: "codigo_acesso",
      language: "pt_BR",
      category: "AUTHENTICATION",
      components,
    });
    const otp: ComponentDraft = {
      type: "BUTTONS",
      buttons: [{ type: "OTP", otp_type: "COPY_CODE", text: "Copiar código" }],
    };

    it("accept Meta's fixed layout: body without text, expiry footer, one OTP button", () => {
      expect(
        validateTemplate(
          authentication([
            { type: "BODY", add_security_recommendation: true },
            { type: "FOOTER", code_expiration_minutes: 10 },
            otp,
          ]),
        ),
      ).toEqual([]);
    });

    it("refuse own body text, a header, a bad expiry and a missing OTP button", () => {
      expect(
        rules(
          authentication([
            { type: "HEADER", format: "TEXT", text: "Código" },
            { type: "BODY", text: "Seu código é {{1}}." },
            { type: "FOOTER", code_expiration_minutes: 91 },
            { type: "BUTTONS", buttons: [quick("Ok")] },
          ]),
        ),
      ).toEqual({
        "header.text": "authentication_layout",
        "body.text": "authentication_layout",
        "footer.code_expiration_minutes": "code_expiration_invalid",
        buttons: "authentication_layout",
      });
    });
  });

  it("reports every broken field at once, each with a message", () => {
    const errors = validateTemplate({
      name: "Meu Modelo",
      language: "pt-BR",
      category: "UTILITY",
      components: [{ type: "BODY", text: "{{1}} olá", example: { body_text: [["Maria"]] } }],
    });
    expect(errors.map((e) => e.field)).toEqual(["name", "language", "body.text"]);
    for (const error of errors) expect(error.message.length).toBeGreaterThan(10);
  });
});

describe("parseTemplateCreate", () => {
  it("names shape errors by component type rather than array position", () => {
    const result = parseTemplateCreate({
      name: "x",
      language: "pt_BR",
      category: "UTILITY",
      components: [
        { type: "BODY", text: "Olá" },
        { type: "BUTTONS", buttons: [{ type: "URL", text: "Ver" }] },
      ],
    });
    expect(result).toMatchObject({
      ok: false,
      errors: [{ field: "buttons.0.url", rule: "invalid" }],
    });
  });

  it("refuses unknown component and button types", () => {
    const result = parseTemplateCreate({
      name: "x",
      language: "pt_BR",
      category: "UTILITY",
      components: [{ type: "CAROUSEL" }],
    });
    expect(result.ok).toBe(false);
  });

  it("passes a valid body through, upper-casing the category and dropping unknown keys", () => {
    const result = parseTemplateCreate({ ...validTemplate(), category: "utility", extra: 1 });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.category).toBe("UTILITY");
      expect(result.value).not.toHaveProperty("extra");
    }
  });
});

describe("templateVariables", () => {
  it("lists header, body and dynamic URL button variables of a stored template", () => {
    const variables = templateVariables(validTemplate().components);
    expect(variables).toEqual({
      header: ["1"],
      body: ["1", "2"],
      buttons: [{ index: 1, variables: ["1"] }],
    });
    expect(parameterFormatOf(variables)).toBe("POSITIONAL");
  });

  it("recognises named variables", () => {
    const variables = templateVariables([{ type: "BODY", text: "Oi {{cliente}}, tudo bem?" }]);
    expect(variables.body).toEqual(["cliente"]);
    expect(parameterFormatOf(variables)).toBe("NAMED");
    expect(parameterFormatOf(variables, "POSITIONAL")).toBe("POSITIONAL");
  });

  it("tolerates missing or odd components", () => {
    expect(templateVariables(null)).toEqual({ header: [], body: [], buttons: [] });
    expect(templateVariables([null, 3, { type: "BODY" }])).toEqual({
      header: [],
      body: [],
      buttons: [],
    });
  });
});
