import { z } from "zod";
import { GraphError, graphErrors } from "../errors.js";
import type { Template } from "../state/types.js";

/**
 * Meta's template rules, both at creation (`POST /{waba-id}/message_templates`, A6) and at send
 * time (132000 parameter count, 132001 missing translation, 132005 too long, 132012 format,
 * 132015 paused, 132016 disabled).
 */

const placeholderPattern = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** Variable names in a template text, in order of appearance (`["1","2"]` or `["cliente"]`). */
export function placeholders(text: string | undefined): string[] {
  if (text === undefined) return [];
  return [...text.matchAll(placeholderPattern)].map((m) => m[1] ?? "");
}

const length = (value: string) => [...value].length;

const buttonSchema = z.looseObject({
  type: z.enum([
    "QUICK_REPLY",
    "URL",
    "PHONE_NUMBER",
    "COPY_CODE",
    "OTP",
    "FLOW",
    "CATALOG",
    "MPM",
    "VOICE_CALL",
  ]),
  text: z.string().optional(),
  url: z.string().optional(),
  phone_number: z.string().optional(),
  example: z.union([z.array(z.string()), z.string()]).optional(),
});

const componentSchema = z.looseObject({
  type: z.enum(["HEADER", "BODY", "FOOTER", "BUTTONS"]),
  format: z.enum(["TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION"]).optional(),
  text: z.string().optional(),
  buttons: z.array(buttonSchema).optional(),
  example: z.looseObject({}).optional(),
});

const createSchema = z.looseObject({
  name: z.string(),
  language: z.string().min(1),
  category: z.string(),
  parameter_format: z.enum(["POSITIONAL", "NAMED"]).optional(),
  components: z.array(componentSchema).min(1),
  allow_category_change: z.boolean().optional(),
});

/** A template definition that passed Meta's creation rules. */
export interface TemplateDefinition {
  name: string;
  language: string;
  category: Template["category"];
  parameterFormat: Template["parameterFormat"];
  components: Record<string, unknown>[];
}

/** Validates a template creation body; throws GraphError 100 with Meta-like details. */
export function parseTemplateDefinition(raw: unknown): TemplateDefinition {
  const parsed = createSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join(".") ?? "body";
    throw graphErrors.invalidParameter(
      `Param ${path} is invalid${issue ? `: ${issue.message}` : ""}`,
    );
  }
  const body = parsed.data;
  if (!/^[a-z0-9_]{1,512}$/.test(body.name)) {
    throw graphErrors.invalidParameter(
      "Param name must contain only lowercase letters, numbers and underscores (at most 512 characters)",
    );
  }
  const category = body.category.toUpperCase();
  if (category !== "MARKETING" && category !== "UTILITY" && category !== "AUTHENTICATION") {
    throw graphErrors.invalidParameter(
      "Param category must be one of {MARKETING, UTILITY, AUTHENTICATION}",
    );
  }
  const format = body.parameter_format ?? "POSITIONAL";
  const components = body.components;
  const count = (type: string) => components.filter((c) => c.type === type).length;
  for (const type of ["HEADER", "BODY", "FOOTER", "BUTTONS"]) {
    if (count(type) > 1)
      throw graphErrors.invalidParameter(`Only one ${type} component is allowed`);
  }
  const bodyComponent = components.find((c) => c.type === "BODY");
  if (!bodyComponent) throw graphErrors.invalidParameter("A BODY component is required");
  if (category !== "AUTHENTICATION" || bodyComponent.text !== undefined) {
    const text = bodyComponent.text ?? "";
    if (length(text) < 1 || length(text) > 1024) {
      throw graphErrors.invalidParameter(
        "Body text length invalid. Min length: 1, Max length: 1024",
      );
    }
    checkVariables("BODY", text, format, bodyComponent.example, "body_text");
    const trimmed = text.trim();
    if (/^\{\{[^}]+\}\}/.test(trimmed) || /\{\{[^}]+\}\}$/.test(trimmed)) {
      throw new GraphError({
        code: 100,
        subcode: 2388299,
        details: "Variables can't be at the start or end of the template.",
      });
    }
  }
  const header = components.find((c) => c.type === "HEADER");
  if (header) {
    const headerFormat = header.format ?? "TEXT";
    if (headerFormat === "TEXT") {
      const text = header.text ?? "";
      if (length(text) < 1 || length(text) > 60) {
        throw graphErrors.invalidParameter(
          "Header text length invalid. Min length: 1, Max length: 60",
        );
      }
      if (placeholders(text).length > 1)
        throw graphErrors.invalidParameter("A header can have at most one variable");
      checkVariables("HEADER", text, format, header.example, "header_text");
    }
  }
  const footer = components.find((c) => c.type === "FOOTER");
  if (footer) {
    const text = footer.text ?? "";
    if (length(text) < 1 || length(text) > 60) {
      throw graphErrors.invalidParameter(
        "Footer text length invalid. Min length: 1, Max length: 60",
      );
    }
    if (placeholders(text).length > 0)
      throw graphErrors.invalidParameter("A footer cannot have variables");
  }
  const buttons = components.find((c) => c.type === "BUTTONS");
  if (buttons) {
    const list = buttons.buttons ?? [];
    if (list.length < 1 || list.length > 10) {
      throw graphErrors.invalidParameter("Buttons count invalid. Min count: 1, Max count: 10");
    }
    list.forEach((button, index) => {
      const needsText =
        button.type !== "OTP" && button.type !== "COPY_CODE" && button.type !== "CATALOG";
      if (
        needsText &&
        (button.text === undefined || length(button.text) < 1 || length(button.text) > 25)
      ) {
        throw graphErrors.invalidParameter(
          `Button text length invalid (button ${index}). Min length: 1, Max length: 25`,
        );
      }
      if (button.type === "URL") {
        if (button.url === undefined || button.url.length > 2000) {
          throw graphErrors.invalidParameter(
            `Param buttons[${index}]['url'] is required (at most 2000 characters)`,
          );
        }
        if (placeholders(button.url).length > 0 && button.example === undefined) {
          throw graphErrors.invalidParameter(
            `Param buttons[${index}]['example'] is required for a dynamic URL`,
          );
        }
      }
      if (
        button.type === "PHONE_NUMBER" &&
        (button.phone_number === undefined || button.phone_number.length > 20)
      ) {
        throw graphErrors.invalidParameter(
          `Param buttons[${index}]['phone_number'] is required (at most 20 characters)`,
        );
      }
    });
  }
  return {
    name: body.name,
    language: body.language,
    category,
    parameterFormat: format,
    components: components as Record<string, unknown>[],
  };
}

function checkVariables(
  where: "BODY" | "HEADER",
  text: string,
  format: "POSITIONAL" | "NAMED",
  example: Record<string, unknown> | undefined,
  exampleKey: "body_text" | "header_text",
): void {
  const names = placeholders(text);
  if (names.length === 0) return;
  if (format === "POSITIONAL") {
    const expected = names.map((_, i) => String(i + 1));
    const distinct = [...new Set(names)];
    if (!distinct.every((n) => /^\d+$/.test(n)) || distinct.some((n, i) => n !== expected[i])) {
      throw graphErrors.invalidParameter(
        `${where} variables must be sequential positional parameters: {{1}}, {{2}}, ... (found ${names.map((n) => `{{${n}}}`).join(", ")})`,
      );
    }
    const values = example?.[exampleKey];
    const first = where === "BODY" ? (Array.isArray(values) ? values[0] : undefined) : values;
    if (!Array.isArray(first) || first.length !== distinct.length) {
      throw graphErrors.invalidParameter(
        `Param example['${exampleKey}'] must give ${distinct.length} example value(s) for the ${where} variables`,
      );
    }
    return;
  }
  if (!names.every((n) => /^[a-z0-9_]+$/.test(n))) {
    throw graphErrors.invalidParameter(
      `${where} named parameters must use lowercase letters, numbers and underscores`,
    );
  }
  const named = example?.[`${exampleKey}_named_params`];
  const given = Array.isArray(named)
    ? named
        .map((item) => (item as { param_name?: unknown }).param_name)
        .filter((n): n is string => typeof n === "string")
    : [];
  const missingNames = [...new Set(names)].filter((n) => !given.includes(n));
  if (missingNames.length > 0) {
    throw graphErrors.invalidParameter(
      `Param example['${exampleKey}_named_params'] must give an example for: ${missingNames.join(", ")}`,
    );
  }
}

/** What a template send looks like once filled in (for the phone page and the sent-message log). */
export interface RenderedTemplate {
  header?: { format: string; text?: string; media?: Record<string, unknown> };
  body: string;
  footer?: string;
  buttons: { type: string; text: string; payload?: string; url?: string }[];
}

type SendComponent = {
  type: string;
  sub_type?: string | undefined;
  index?: string | number | undefined;
  parameters?: Record<string, unknown>[] | undefined;
};

/** Checks a template send against the stored template and renders it; throws GraphError 132xxx. */
export function checkTemplateSend(
  templates: Template[],
  send: { name: string; language: { code: string }; components?: SendComponent[] | undefined },
): { template: Template; rendered: RenderedTemplate } {
  const candidates = templates.filter((t) => t.name === send.name);
  const template = candidates.find((t) => t.language === send.language.code);
  if (!template || template.status === "PENDING_DELETION") {
    throw new GraphError({
      code: 132001,
      details:
        candidates.length === 0
          ? `template name (${send.name}) does not exist in ${send.language.code}`
          : `template name (${send.name}) does not exist in ${send.language.code}; available: ${candidates.map((t) => t.language).join(", ")}`,
    });
  }
  if (template.status === "PAUSED") {
    throw new GraphError({
      code: 132015,
      details: `Template ${template.name} is paused due to low quality.`,
    });
  }
  if (template.status === "DISABLED") {
    throw new GraphError({
      code: 132016,
      details: `Template ${template.name} has been disabled due to low quality.`,
    });
  }
  if (template.status !== "APPROVED") {
    throw new GraphError({
      code: 132001,
      details: `template name (${template.name}) does not exist in ${template.language} (status ${template.status}; only APPROVED templates can be sent)`,
    });
  }
  const given = send.components ?? [];
  const part = (type: string) =>
    template.components.find((c) => c.type === type) as
      | {
          format?: string;
          text?: string;
          buttons?: { type: string; text?: string; url?: string }[];
        }
      | undefined;
  const params = (type: string) => given.find((c) => c.type === type)?.parameters ?? [];

  const rendered: RenderedTemplate = { body: "", buttons: [] };
  const header = part("HEADER");
  const headerParams = params("header");
  if (header) {
    const format = header.format ?? "TEXT";
    if (format === "TEXT") {
      const text = fill("header", header.text ?? "", headerParams, template.parameterFormat);
      rendered.header = { format, text };
    } else if (format !== "LOCATION") {
      const expected = format.toLowerCase();
      const param = headerParams[0];
      if (!param || param.type !== expected || typeof param[expected] !== "object") {
        throw new GraphError({
          code: 132012,
          details: `header: Format mismatch, expected ${format}, received ${param ? String(param.type).toUpperCase() : "nothing"}`,
        });
      }
      rendered.header = { format, media: param[expected] as Record<string, unknown> };
    }
  } else if (headerParams.length > 0) {
    throw countMismatch("header", headerParams.length, 0);
  }
  const body = part("BODY");
  rendered.body = fill("body", body?.text ?? "", params("body"), template.parameterFormat);
  if ([...rendered.body].length > 1024) {
    throw new GraphError({
      code: 132005,
      details: "body: the hydrated text is longer than 1024 characters",
    });
  }
  const footer = part("FOOTER");
  if (footer?.text !== undefined) rendered.footer = footer.text;
  const buttons = part("BUTTONS")?.buttons ?? [];
  buttons.forEach((button, index) => {
    const component = given.find((c) => c.type === "button" && Number(c.index) === index);
    const first = component?.parameters?.[0];
    const item: RenderedTemplate["buttons"][number] = {
      type: button.type,
      text: button.text ?? "",
    };
    if (button.type === "URL" && button.url !== undefined) {
      const dynamic = placeholders(button.url).length > 0;
      if (dynamic && (!first || typeof first.text !== "string")) {
        throw new GraphError({
          code: 132000,
          details: `button ${index}: number of localizable_params (0) does not match the expected number of params (1)`,
        });
      }
      item.url = dynamic ? button.url.replace(placeholderPattern, String(first?.text)) : button.url;
    }
    if (button.type === "QUICK_REPLY") {
      item.payload = typeof first?.payload === "string" ? first.payload : (button.text ?? "");
    }
    rendered.buttons.push(item);
  });
  return { template, rendered };
}

function fill(
  where: string,
  text: string,
  params: Record<string, unknown>[],
  format: "POSITIONAL" | "NAMED",
): string {
  const names = [...new Set(placeholders(text))];
  if (params.length !== names.length) throw countMismatch(where, params.length, names.length);
  const values = new Map<string, string>();
  params.forEach((param, index) => {
    const value = paramText(where, param);
    if (format === "NAMED") {
      const name = param.parameter_name;
      if (typeof name !== "string" || !names.includes(name)) {
        throw new GraphError({
          code: 132000,
          details: `${where}: parameter_name ${JSON.stringify(name)} does not match the template's parameters (${names.join(", ")})`,
        });
      }
      values.set(name, value);
    } else {
      values.set(String(index + 1), value);
    }
  });
  return text.replace(placeholderPattern, (_, name: string) => values.get(name) ?? "");
}

function paramText(where: string, param: Record<string, unknown>): string {
  switch (param.type) {
    case "text": {
      if (typeof param.text !== "string") {
        throw graphErrors.missingParameter(
          `The parameter ${where}['parameters'][]['text'] is required.`,
        );
      }
      if (/[\n\t]/.test(param.text) || / {5,}/.test(param.text)) {
        throw graphErrors.invalidParameter(
          "Param text cannot have new-line/tab characters or more than 4 consecutive spaces",
        );
      }
      return param.text;
    }
    case "currency":
    case "date_time": {
      const object = param[param.type] as { fallback_value?: unknown } | undefined;
      if (typeof object?.fallback_value !== "string") {
        throw graphErrors.missingParameter(
          `The parameter ${where}['parameters'][]['${param.type}']['fallback_value'] is required.`,
        );
      }
      return object.fallback_value;
    }
    default:
      throw new GraphError({
        code: 132012,
        details: `${where}: Format mismatch, expected TEXT, received ${String(param.type).toUpperCase()}`,
      });
  }
}

function countMismatch(where: string, given: number, expected: number): GraphError {
  return new GraphError({
    code: 132000,
    details: `${where}: number of localizable_params (${given}) does not match the expected number of params (${expected})`,
  });
}
