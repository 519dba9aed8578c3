import { z } from "zod";
import type { TemplateCreateRequest, TemplateFieldError } from "../../../../contracts/templates.js";
import { type TemplateDraft, validateTemplate } from "./templateRules.js";

/**
 * The shape of a template creation body (Meta's own, protocols.md A6), checked by zod. Lengths
 * here only bound what the server accepts; Meta's limits are `validateTemplate`'s job, so every
 * broken rule is reported, per field, with its own message.
 */
const text = z.string().max(5_000);
const exampleValue = z.string().max(2_000);

const ButtonSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("QUICK_REPLY"), text }),
  z.object({
    type: z.literal("URL"),
    text,
    url: text,
    example: z.array(exampleValue).max(1).optional(),
  }),
  z.object({ type: z.literal("PHONE_NUMBER"), text, phone_number: z.string().max(100) }),
  z.object({ type: z.literal("OTP"), otp_type: z.literal("COPY_CODE"), text: text.optional() }),
]);

const ComponentSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("HEADER"),
    format: z.enum(["TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION"]).default("TEXT"),
    text: text.optional(),
    example: z
      .object({
        header_text: z.array(exampleValue).max(5).optional(),
        header_handle: z.array(z.string().max(4_000)).max(1).optional(),
      })
      .optional(),
  }),
  z.object({
    type: z.literal("BODY"),
    text: text.optional(),
    example: z
      .object({ body_text: z.array(z.array(exampleValue).max(100)).max(1).optional() })
      .optional(),
    add_security_recommendation: z.boolean().optional(),
  }),
  z.object({
    type: z.literal("FOOTER"),
    text: text.optional(),
    code_expiration_minutes: z.number().int().optional(),
  }),
  z.object({ type: z.literal("BUTTONS"), buttons: z.array(ButtonSchema).max(20) }),
]);

/** Structural schema of `POST /api/whatsapp/templates`. */
export const TemplateCreateShapeSchema = z.object({
  name: z.string().trim().max(1_000),
  category: z.string().trim().toUpperCase().max(32),
  language: z.string().trim().max(16),
  components: z.array(ComponentSchema).min(1).max(8),
  allow_category_change: z.boolean().optional(),
});

/** Outcome of `parseTemplateCreate`. */
export type TemplateCreateParse =
  | { ok: true; value: TemplateCreateRequest }
  | { ok: false; errors: TemplateFieldError[] };

/**
 * Parses and validates a creation body: the shape first (zod), then Meta's rules. Field paths
 * name components by type (`body.text`, `buttons.0.url`) rather than by array position, so a
 * form can put each error beside its input.
 */
export function parseTemplateCreate(raw: unknown): TemplateCreateParse {
  const shape = TemplateCreateShapeSchema.safeParse(raw);
  if (!shape.success) {
    const errors: TemplateFieldError[] = [];
    for (const issue of shape.error.issues) {
      const field = fieldOf(issue.path, raw);
      if (errors.some((error) => error.field === field)) continue;
      errors.push({
        field,
        rule: "invalid",
        message: `Invalid ${field || "body"}: ${issue.message}`,
      });
    }
    return { ok: false, errors };
  }
  const errors = validateTemplate(shape.data as TemplateDraft);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: shape.data as TemplateCreateRequest };
}

/** `["components", 2, "buttons", 0, "url"]` → `buttons.0.url` (by the component's type). */
function fieldOf(path: ReadonlyArray<PropertyKey>, raw: unknown): string {
  const parts = path.map(String);
  if (parts[0] !== "components" || parts.length < 2) return parts.join(".");
  const components = (raw as { components?: unknown } | null)?.components;
  const component = Array.isArray(components) ? components[Number(parts[1])] : undefined;
  const type = (component as { type?: unknown } | undefined)?.type;
  if (typeof type !== "string" || !/^(HEADER|BODY|FOOTER|BUTTONS)$/.test(type)) {
    return parts.join(".");
  }
  const rest = parts.slice(2);
  if (type === "BUTTONS") return ["buttons", ...rest.slice(1)].join(".");
  return [type.toLowerCase(), ...rest].join(".") || type.toLowerCase();
}
