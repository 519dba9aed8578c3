import type { MessageTemplatePayload } from "../../contracts/templates.js";
import {
  parameterFormatOf,
  templateVariables,
} from "../integrations/whatsapp/templates/templateRules.js";

/** A row of `message_templates`. */
export interface MessageTemplateRow {
  id: number;
  whatsapp_template_id: string;
  name: string;
  language: string;
  category: string | null;
  status: string;
  reason: string | null;
  /** JSON column: MariaDB hands it back as text. */
  components: string | Array<Record<string, unknown>> | null;
  status_updated_at: Date | null;
  updated_at: Date;
}

/** Reads the JSON `components` column whichever way the driver returns it. */
export function templateComponents(
  row: Pick<MessageTemplateRow, "components">,
): Array<Record<string, unknown>> | null {
  if (row.components === null) return null;
  if (typeof row.components !== "string") return row.components;
  try {
    const parsed: unknown = JSON.parse(row.components);
    return Array.isArray(parsed) ? (parsed as Array<Record<string, unknown>>) : null;
  } catch {
    return null;
  }
}

/**
 * The only way a template leaves the API: Meta's status and rejection reason, its components and
 * the variables a sender must fill (for the composer's picker).
 */
export function presentMessageTemplate(row: MessageTemplateRow): MessageTemplatePayload {
  const components = templateComponents(row);
  const variables = templateVariables(components);
  return {
    id: row.id,
    whatsappTemplateId: row.whatsapp_template_id,
    name: row.name,
    language: row.language,
    category: row.category,
    status: row.status,
    rejectionReason: row.reason,
    parameterFormat: parameterFormatOf(variables),
    components,
    variables,
    statusUpdatedAt: row.status_updated_at?.toISOString() ?? null,
    updatedAt: row.updated_at.toISOString(),
  };
}
