/**
 * WhatsApp message templates as the runtime's API and the inbox see them (protocols.md A6).
 * Request bodies use Meta's own shape, so what an admin submits is what goes to Graph.
 */

/** Template categories Meta accepts. */
export const templateCategories = ["MARKETING", "UTILITY", "AUTHENTICATION"] as const;

/** A template category. */
export type TemplateCategory = (typeof templateCategories)[number];

/**
 * Language codes Meta accepts for templates (its "Supported languages" list). Case-sensitive,
 * with an underscore: `pt_BR`, never `pt-BR`.
 */
export const templateLanguages = [
  "af",
  "sq",
  "ar",
  "az",
  "bn",
  "bg",
  "ca",
  "zh_CN",
  "zh_HK",
  "zh_TW",
  "hr",
  "cs",
  "da",
  "nl",
  "en",
  "en_GB",
  "en_US",
  "et",
  "fil",
  "fi",
  "fr",
  "ka",
  "de",
  "el",
  "gu",
  "ha",
  "he",
  "hi",
  "hu",
  "id",
  "ga",
  "it",
  "ja",
  "kn",
  "kk",
  "rw_RW",
  "ko",
  "ky_KG",
  "lo",
  "lv",
  "lt",
  "mk",
  "ms",
  "ml",
  "mr",
  "nb",
  "fa",
  "pl",
  "pt_BR",
  "pt_PT",
  "pa",
  "ro",
  "ru",
  "sr",
  "sk",
  "sl",
  "es",
  "es_AR",
  "es_ES",
  "es_MX",
  "sw",
  "sv",
  "ta",
  "te",
  "th",
  "tr",
  "uk",
  "ur",
  "uz",
  "vi",
  "zu",
] as const;

/** A button of a template's BUTTONS component, in Meta's shape. */
export type TemplateButtonInput =
  | { type: "QUICK_REPLY"; text: string }
  | { type: "URL"; text: string; url: string; example?: string[] }
  | { type: "PHONE_NUMBER"; text: string; phone_number: string }
  | { type: "OTP"; otp_type: "COPY_CODE"; text?: string };

/** A component of a template definition, in Meta's shape. */
export type TemplateComponentInput =
  | {
      type: "HEADER";
      format: "TEXT" | "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION";
      text?: string;
      example?: { header_text?: string[]; header_handle?: string[] };
    }
  | {
      type: "BODY";
      text?: string;
      example?: { body_text?: string[][] };
      /** AUTHENTICATION only: Meta adds "For your security, do not share this code." */
      add_security_recommendation?: boolean;
    }
  | {
      type: "FOOTER";
      text?: string;
      /** AUTHENTICATION only: "This code expires in N minutes." (1–90). */
      code_expiration_minutes?: number;
    }
  | { type: "BUTTONS"; buttons: TemplateButtonInput[] };

/** Body of `POST /api/whatsapp/templates`: create a template and submit it for review. */
export interface TemplateCreateRequest {
  name: string;
  category: TemplateCategory;
  language: string;
  components: TemplateComponentInput[];
  /** Let Meta re-classify the category instead of rejecting the template. */
  allow_category_change?: boolean;
}

/**
 * Why a template field is refused before submission. The API sends the id with an English
 * message; the inbox shows its own text for the id.
 */
export type TemplateRule =
  | "invalid"
  | "name_required"
  | "name_format"
  | "name_too_long"
  | "category_invalid"
  | "language_unsupported"
  | "component_duplicate"
  | "body_required"
  | "body_text_required"
  | "body_too_long"
  | "header_text_required"
  | "header_too_long"
  | "header_too_many_variables"
  | "header_characters"
  | "header_media_example_required"
  | "footer_text_required"
  | "footer_too_long"
  | "footer_variables"
  | "variable_format"
  | "variables_not_sequential"
  | "variables_adjacent"
  | "variable_at_edge"
  | "examples_missing"
  | "example_empty"
  | "buttons_required"
  | "buttons_too_many"
  | "buttons_not_grouped"
  | "button_text_required"
  | "button_text_too_long"
  | "button_text_duplicate"
  | "url_buttons_too_many"
  | "url_invalid"
  | "url_variables"
  | "url_example_missing"
  | "phone_buttons_too_many"
  | "phone_invalid"
  | "otp_button_only_for_authentication"
  | "authentication_layout"
  | "code_expiration_invalid"
  | "template_exists";

/** One refused field: `field` is a path such as `body.text` or `buttons.1.url`. */
export interface TemplateFieldError {
  field: string;
  rule: TemplateRule;
  message: string;
}

/** Variables of a template, for the composer's picker (`["1","2"]` or named). */
export interface TemplateVariables {
  header: string[];
  body: string[];
  /** Dynamic URL buttons, by their index among the template's buttons. */
  buttons: Array<{ index: number; variables: string[] }>;
}

/** A template as the API shows it. Agents see only APPROVED ones. */
export interface MessageTemplatePayload {
  id: number;
  /** Meta's id (a string in the REST API). */
  whatsappTemplateId: string;
  name: string;
  language: string;
  category: string | null;
  /** Meta's status: APPROVED, PENDING, REJECTED, PAUSED, DISABLED, PENDING_DELETION, … */
  status: string;
  /** Meta's reason when REJECTED (e.g. INVALID_FORMAT), else null. */
  rejectionReason: string | null;
  parameterFormat: "POSITIONAL" | "NAMED";
  /** Meta's components as last synced (null when only a status webhook is known so far). */
  components: Array<Record<string, unknown>> | null;
  variables: TemplateVariables;
  statusUpdatedAt: string | null;
  updatedAt: string;
}

/** Result of `POST /api/whatsapp/templates/sync`. */
export interface TemplateSyncPayload {
  /** Templates Meta listed. */
  total: number;
  created: number;
  updated: number;
  /** Local templates Meta no longer lists. */
  removed: number;
}

/** Result of `DELETE /api/whatsapp/templates/:name`. */
export interface TemplateDeletePayload {
  /** Local templates now PENDING_DELETION. */
  deleted: number;
}

/** A template's text as the customer received it: its parts with the variables filled in. */
export interface FilledTemplateText {
  /** The header's text (null when the header is a file, a location or absent). */
  header: string | null;
  body: string | null;
  footer: string | null;
}

const TEMPLATE_VARIABLE = /\{\{\s*([a-z0-9_]+)\s*\}\}/gi;

/** A template component's text as Meta lists it (a `HEADER` only when its format is text). */
export function templateComponentText(
  components: ReadonlyArray<Record<string, unknown>> | null | undefined,
  type: "HEADER" | "BODY" | "FOOTER",
): string | undefined {
  const component = components?.find((candidate) => String(candidate.type).toUpperCase() === type);
  if (component === undefined) return undefined;
  if (type === "HEADER" && String(component.format ?? "TEXT").toUpperCase() !== "TEXT") {
    return undefined;
  }
  return typeof component.text === "string" ? component.text : undefined;
}

/** `text` with each `{{name}}` replaced by `valueFor(name)`; one without a value stays as it is. */
export function fillTemplateText(
  text: string,
  valueFor: (name: string) => string | undefined,
): string {
  return text.replace(TEMPLATE_VARIABLE, (whole, name: string) => {
    const value = valueFor(name);
    return value === undefined || value === "" ? whole : value;
  });
}
