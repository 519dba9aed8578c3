import {
  type TemplateFieldError,
  type TemplateRule,
  type TemplateVariables,
  templateCategories,
  templateLanguages,
} from "../../../../contracts/templates.js";

/**
 * Meta's rules for a new message template (protocols.md A6 and Meta's template guidelines),
 * checked before anything is submitted so an admin sees every problem at once, per field,
 * instead of Graph's first error 100. Pure: no I/O, no clock.
 */

/** Limits Meta enforces on templates. */
export const TEMPLATE_LIMITS = {
  name: 512,
  body: 1024,
  header: 60,
  footer: 60,
  buttons: 10,
  buttonText: 25,
  urlButtons: 2,
  phoneButtons: 1,
  url: 2000,
  phoneNumber: 20,
  codeExpirationMinutes: { min: 1, max: 90 },
} as const;

/** A button as the validator sees it (structurally parsed, not yet checked). */
export interface ButtonDraft {
  type: string;
  text?: string | undefined;
  url?: string | undefined;
  phone_number?: string | undefined;
  example?: string[] | undefined;
  otp_type?: string | undefined;
}

/** A component as the validator sees it. */
export interface ComponentDraft {
  type: "HEADER" | "BODY" | "FOOTER" | "BUTTONS";
  format?: string | undefined;
  text?: string | undefined;
  example?:
    | {
        header_text?: string[] | undefined;
        header_handle?: string[] | undefined;
        body_text?: string[][] | undefined;
      }
    | undefined;
  add_security_recommendation?: boolean | undefined;
  code_expiration_minutes?: number | undefined;
  buttons?: ButtonDraft[] | undefined;
}

/** A template definition as the validator sees it. */
export interface TemplateDraft {
  name: string;
  category: string;
  language: string;
  components: ComponentDraft[];
}

// Anything between double braces, so malformed variables ({{ nome }}, {{#1}}) are caught too.
const anyPlaceholder = /\{\{([^{}]*)\}\}/g;
const positional = /^\d+$/;

/** Code points, as Meta counts characters (an emoji is one). */
const length = (text: string) => [...text].length;

/** Names between double braces in order of appearance, malformed ones included. */
export function placeholders(text: string | undefined): string[] {
  if (text === undefined) return [];
  return [...text.matchAll(anyPlaceholder)].map((match) => (match[1] ?? "").trim());
}

/** Distinct variable names in order of first appearance. */
function distinct(names: string[]): string[] {
  return [...new Set(names)];
}

/**
 * Variables a stored template expects when sent: header and body (positional `1`, `2`… or
 * named), and dynamic URL buttons by index. Tolerates any shape Graph returns.
 */
export function templateVariables(components: unknown): TemplateVariables {
  const result: TemplateVariables = { header: [], body: [], buttons: [] };
  if (!Array.isArray(components)) return result;
  for (const raw of components) {
    if (typeof raw !== "object" || raw === null) continue;
    const component = raw as {
      type?: unknown;
      format?: unknown;
      text?: unknown;
      buttons?: unknown;
    };
    const type = typeof component.type === "string" ? component.type.toUpperCase() : "";
    const text = typeof component.text === "string" ? component.text : undefined;
    if (type === "HEADER" && (component.format ?? "TEXT") === "TEXT") {
      result.header = distinct(placeholders(text));
    } else if (type === "BODY") {
      result.body = distinct(placeholders(text));
    } else if (type === "BUTTONS" && Array.isArray(component.buttons)) {
      component.buttons.forEach((button: unknown, index) => {
        const url = (button as { url?: unknown } | null)?.url;
        const variables = typeof url === "string" ? distinct(placeholders(url)) : [];
        if (variables.length > 0) result.buttons.push({ index, variables });
      });
    }
  }
  return result;
}

/** Whether a stored template uses named variables (`{{cliente}}`) rather than `{{1}}`. */
export function parameterFormatOf(
  variables: TemplateVariables,
  declared?: unknown,
): "POSITIONAL" | "NAMED" {
  if (declared === "NAMED" || declared === "POSITIONAL") return declared;
  const all = [...variables.header, ...variables.body];
  return all.some((name) => !positional.test(name)) ? "NAMED" : "POSITIONAL";
}

/** Collects errors; the first per field is enough for a form, so later ones are dropped. */
class Problems {
  readonly list: TemplateFieldError[] = [];

  add(field: string, rule: TemplateRule, message: string): void {
    if (this.list.some((problem) => problem.field === field)) return;
    this.list.push({ field, rule, message });
  }
}

/**
 * Every rule a template breaks, per field (`name`, `body.text`, `body.example.0`,
 * `buttons.1.url`, …), in a stable order. Empty when Meta's rules are met.
 */
export function validateTemplate(draft: TemplateDraft): TemplateFieldError[] {
  const problems = new Problems();
  checkName(draft.name, problems);
  const category = draft.category;
  if (!(templateCategories as readonly string[]).includes(category)) {
    problems.add(
      "category",
      "category_invalid",
      "Choose a category: MARKETING, UTILITY or AUTHENTICATION.",
    );
  }
  if (!(templateLanguages as readonly string[]).includes(draft.language)) {
    problems.add(
      "language",
      "language_unsupported",
      "Use a language code from Meta's list, such as pt_BR or en_US.",
    );
  }

  const byType = new Map<string, ComponentDraft>();
  for (const component of draft.components) {
    if (byType.has(component.type)) {
      problems.add(
        "components",
        "component_duplicate",
        `A template has at most one ${component.type} component.`,
      );
      continue;
    }
    byType.set(component.type, component);
  }

  const authentication = category === "AUTHENTICATION";
  const header = byType.get("HEADER");
  const body = byType.get("BODY");
  const footer = byType.get("FOOTER");
  const buttons = byType.get("BUTTONS");

  if (authentication) {
    checkAuthentication({ header, body, footer, buttons }, problems);
  } else {
    if (body === undefined) {
      problems.add("body.text", "body_required", "A template needs a BODY component.");
    } else {
      checkBody(body, problems);
    }
    if (header !== undefined) checkHeader(header, problems);
    if (footer !== undefined) checkFooter(footer, problems);
  }
  if (buttons !== undefined) checkButtons(buttons.buttons ?? [], authentication, problems);
  return problems.list;
}

function checkName(name: string, problems: Problems): void {
  if (name === "") {
    problems.add("name", "name_required", "Give the template a name.");
  } else if (length(name) > TEMPLATE_LIMITS.name) {
    problems.add(
      "name",
      "name_too_long",
      `The name has ${length(name)} characters; the limit is ${TEMPLATE_LIMITS.name}.`,
    );
  } else if (!/^[a-z0-9_]+$/.test(name)) {
    problems.add(
      "name",
      "name_format",
      "Use only lowercase letters (a-z), digits and underscores in the name, e.g. pedido_enviado.",
    );
  }
}

/**
 * Positional variables of one text: well-formed, numbered 1..n in order of first appearance,
 * never side by side. Returns the distinct names when the text is usable, else undefined.
 */
function checkVariables(text: string, field: string, problems: Problems): string[] | undefined {
  const names = placeholders(text);
  const leftovers = text.replace(anyPlaceholder, "");
  if (names.some((name) => !positional.test(name)) || /\{\{|\}\}/.test(leftovers)) {
    problems.add(
      field,
      "variable_format",
      "Write variables as {{1}}, {{2}}, … with nothing else between the braces.",
    );
    return undefined;
  }
  const unique = distinct(names);
  if (unique.some((name, index) => Number(name) !== index + 1)) {
    problems.add(
      field,
      "variables_not_sequential",
      `Number the variables in order, starting at {{1}} (found ${unique.map((n) => `{{${n}}}`).join(", ")}).`,
    );
    return undefined;
  }
  if (/\}\}\s*\{\{/.test(text)) {
    problems.add(
      field,
      "variables_adjacent",
      "Two variables cannot be side by side: put words between them.",
    );
    return undefined;
  }
  return unique;
}

/** One example per variable, none blank. */
function checkExamples(
  variables: string[],
  examples: string[] | undefined,
  field: string,
  problems: Problems,
): void {
  if (variables.length === 0) return;
  if (examples === undefined || examples.length !== variables.length) {
    problems.add(
      field,
      "examples_missing",
      `Give one example value for each variable (${variables.length} expected, ${examples?.length ?? 0} given).`,
    );
    return;
  }
  examples.forEach((example, index) => {
    if (example.trim() === "") {
      problems.add(
        `${field}.${index}`,
        "example_empty",
        `Give an example value for {{${index + 1}}}.`,
      );
    }
  });
}

function checkBody(body: ComponentDraft, problems: Problems): void {
  const text = body.text ?? "";
  if (text.trim() === "") {
    problems.add("body.text", "body_text_required", "Write the message body.");
    return;
  }
  if (length(text) > TEMPLATE_LIMITS.body) {
    problems.add(
      "body.text",
      "body_too_long",
      `The body has ${length(text)} characters; the limit is ${TEMPLATE_LIMITS.body}.`,
    );
  }
  const variables = checkVariables(text, "body.text", problems);
  if (variables === undefined) return;
  const trimmed = text.trim();
  if (/^\{\{[^{}]*\}\}/.test(trimmed) || /\{\{[^{}]*\}\}$/.test(trimmed)) {
    problems.add(
      "body.text",
      "variable_at_edge",
      "The body cannot start or end with a variable: add text before and after it.",
    );
  }
  checkExamples(variables, body.example?.body_text?.[0], "body.example", problems);
}

function checkHeader(header: ComponentDraft, problems: Problems): void {
  const format = header.format ?? "TEXT";
  if (format === "LOCATION") return;
  if (format !== "TEXT") {
    if ((header.example?.header_handle ?? []).length !== 1) {
      problems.add(
        "header.example",
        "header_media_example_required",
        "A media header needs an example file (a header_handle from Meta's upload API).",
      );
    }
    return;
  }
  const text = header.text ?? "";
  if (text.trim() === "") {
    problems.add(
      "header.text",
      "header_text_required",
      "Write the header text or remove the header.",
    );
    return;
  }
  if (length(text) > TEMPLATE_LIMITS.header) {
    problems.add(
      "header.text",
      "header_too_long",
      `The header has ${length(text)} characters; the limit is ${TEMPLATE_LIMITS.header}.`,
    );
  }
  if (/[\n\r*]/.test(text) || /\p{Extended_Pictographic}/u.test(text)) {
    problems.add(
      "header.text",
      "header_characters",
      "The header cannot contain line breaks, asterisks or emoji.",
    );
  }
  if (distinct(placeholders(text)).length > 1) {
    problems.add(
      "header.text",
      "header_too_many_variables",
      "The header can have at most one variable.",
    );
    return;
  }
  const variables = checkVariables(text, "header.text", problems);
  if (variables === undefined) return;
  checkExamples(variables, header.example?.header_text, "header.example", problems);
}

function checkFooter(footer: ComponentDraft, problems: Problems): void {
  const text = footer.text ?? "";
  if (text.trim() === "") {
    problems.add(
      "footer.text",
      "footer_text_required",
      "Write the footer text or remove the footer.",
    );
    return;
  }
  if (length(text) > TEMPLATE_LIMITS.footer) {
    problems.add(
      "footer.text",
      "footer_too_long",
      `The footer has ${length(text)} characters; the limit is ${TEMPLATE_LIMITS.footer}.`,
    );
  }
  if (/\{\{|\}\}/.test(text)) {
    problems.add("footer.text", "footer_variables", "The footer cannot have variables.");
  }
}

/**
 * Authentication templates have Meta's fixed text: the body carries no text of its own (only
 * the optional security recommendation), no header, a footer that only states the code's
 * expiry, and exactly one one-time-password button.
 */
function checkAuthentication(
  parts: {
    header: ComponentDraft | undefined;
    body: ComponentDraft | undefined;
    footer: ComponentDraft | undefined;
    buttons: ComponentDraft | undefined;
  },
  problems: Problems,
): void {
  if (parts.header !== undefined) {
    problems.add(
      "header.text",
      "authentication_layout",
      "Authentication templates have no header: Meta writes their text.",
    );
  }
  if (parts.body === undefined) {
    problems.add("body.text", "body_required", "A template needs a BODY component.");
  } else if (parts.body.text !== undefined && parts.body.text !== "") {
    problems.add(
      "body.text",
      "authentication_layout",
      "Authentication templates use Meta's fixed body text: leave the body text empty.",
    );
  }
  if (parts.footer !== undefined) {
    if (parts.footer.text !== undefined && parts.footer.text !== "") {
      problems.add(
        "footer.text",
        "authentication_layout",
        "Authentication templates use Meta's fixed footer: only the code expiry can be set.",
      );
    }
    const minutes = parts.footer.code_expiration_minutes;
    const { min, max } = TEMPLATE_LIMITS.codeExpirationMinutes;
    if (minutes !== undefined && (!Number.isInteger(minutes) || minutes < min || minutes > max)) {
      problems.add(
        "footer.code_expiration_minutes",
        "code_expiration_invalid",
        `The code expiry must be a whole number of minutes from ${min} to ${max}.`,
      );
    }
  }
  const buttons = parts.buttons?.buttons ?? [];
  if (buttons.length !== 1 || buttons[0]?.type !== "OTP") {
    problems.add(
      "buttons",
      "authentication_layout",
      "Authentication templates have exactly one button: the one-time code (OTP) button.",
    );
  }
}

function checkButtons(buttons: ButtonDraft[], authentication: boolean, problems: Problems): void {
  if (buttons.length === 0) {
    problems.add("buttons", "buttons_required", "Add at least one button or remove the buttons.");
    return;
  }
  if (buttons.length > TEMPLATE_LIMITS.buttons) {
    problems.add(
      "buttons",
      "buttons_too_many",
      `A template has at most ${TEMPLATE_LIMITS.buttons} buttons (${buttons.length} given).`,
    );
  }
  // Quick replies form one group and call-to-action buttons another: never interleaved.
  const groups = buttons
    .map((button) => (button.type === "QUICK_REPLY" ? "quick" : "action"))
    .filter((group, index, all) => index === 0 || all[index - 1] !== group);
  if (groups.length > 2) {
    problems.add(
      "buttons",
      "buttons_not_grouped",
      "Keep quick-reply buttons together and link/phone buttons together, not mixed.",
    );
  }
  const count = (type: string) => buttons.filter((button) => button.type === type).length;
  if (count("URL") > TEMPLATE_LIMITS.urlButtons) {
    problems.add(
      "buttons",
      "url_buttons_too_many",
      `A template has at most ${TEMPLATE_LIMITS.urlButtons} link buttons.`,
    );
  }
  if (count("PHONE_NUMBER") > TEMPLATE_LIMITS.phoneButtons) {
    problems.add(
      "buttons",
      "phone_buttons_too_many",
      `A template has at most ${TEMPLATE_LIMITS.phoneButtons} phone button.`,
    );
  }

  const seen = new Set<string>();
  buttons.forEach((button, index) => {
    const field = `buttons.${index}`;
    if (button.type === "OTP") {
      if (!authentication) {
        problems.add(
          `${field}.type`,
          "otp_button_only_for_authentication",
          "One-time code buttons exist only in AUTHENTICATION templates.",
        );
      }
      if (button.text !== undefined) checkButtonText(button.text, field, seen, problems);
      return;
    }
    checkButtonText(button.text ?? "", field, seen, problems);
    if (button.type === "URL") checkUrlButton(button, field, problems);
    if (button.type === "PHONE_NUMBER") {
      const phone = (button.phone_number ?? "").trim();
      if (!/^\+?[0-9]{8,19}$/.test(phone) || phone.length > TEMPLATE_LIMITS.phoneNumber) {
        problems.add(
          `${field}.phone_number`,
          "phone_invalid",
          "Give the phone number with country code, digits only, e.g. +5511999990000.",
        );
      }
    }
  });
}

function checkButtonText(text: string, field: string, seen: Set<string>, problems: Problems): void {
  if (text.trim() === "") {
    problems.add(`${field}.text`, "button_text_required", "Write the button's text.");
    return;
  }
  if (length(text) > TEMPLATE_LIMITS.buttonText) {
    problems.add(
      `${field}.text`,
      "button_text_too_long",
      `Button text has at most ${TEMPLATE_LIMITS.buttonText} characters (${length(text)} given).`,
    );
    return;
  }
  const key = text.trim().toLowerCase();
  if (seen.has(key)) {
    problems.add(
      `${field}.text`,
      "button_text_duplicate",
      "Two buttons cannot have the same text.",
    );
  }
  seen.add(key);
}

function checkUrlButton(button: ButtonDraft, field: string, problems: Problems): void {
  const url = (button.url ?? "").trim();
  const variables = placeholders(url);
  const withoutVariables = url.replace(anyPlaceholder, "x");
  if (!isHttpUrl(withoutVariables) || length(url) > TEMPLATE_LIMITS.url) {
    problems.add(`${field}.url`, "url_invalid", "Give a full web address starting with https://.");
    return;
  }
  if (variables.length === 0) return;
  if (variables.length > 1 || variables[0] !== "1" || !/\{\{1\}\}$/.test(url)) {
    problems.add(
      `${field}.url`,
      "url_variables",
      "A link can have one variable, {{1}}, and only at its very end.",
    );
    return;
  }
  const example = button.example?.[0]?.trim() ?? "";
  if (example === "" || !isHttpUrl(example)) {
    problems.add(
      `${field}.example`,
      "url_example_missing",
      "Give an example of the full link with the variable filled in.",
    );
  }
}

function isHttpUrl(text: string): boolean {
  if (/\s/.test(text)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname.includes(".");
  } catch {
    return false;
  }
}
