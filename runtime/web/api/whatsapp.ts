import type {
  WhatsappConnectionTestPayload,
  WhatsappSettingsPayload,
  WhatsappSettingsUpdateRequest,
} from "../../contracts/api.js";
import type {
  MessageTemplatePayload,
  TemplateCreateRequest,
  TemplateDeletePayload,
  TemplateFieldError,
  TemplateSyncPayload,
} from "../../contracts/templates.js";
import { ApiError, apiRequest } from "./client.js";

/** The tenant's WhatsApp settings, secrets masked (admins only). */
export function fetchWhatsappSettings(): Promise<WhatsappSettingsPayload> {
  return apiRequest<WhatsappSettingsPayload>("GET", "/api/settings/whatsapp");
}

/**
 * Saves the settings. Secrets left out keep their stored values, so the form sends only the ones
 * typed in (the API input type allows the defaults to be omitted too).
 */
export function saveWhatsappSettings(
  settings: Omit<WhatsappSettingsUpdateRequest, "graphApiBaseUrl" | "graphApiVersion"> &
    Partial<Pick<WhatsappSettingsUpdateRequest, "graphApiBaseUrl" | "graphApiVersion">>,
): Promise<WhatsappSettingsPayload> {
  return apiRequest<WhatsappSettingsPayload>("PUT", "/api/settings/whatsapp", settings);
}

/** Asks Graph, with the saved settings, whether the connection works. */
export function testWhatsappConnection(): Promise<WhatsappConnectionTestPayload> {
  return apiRequest<WhatsappConnectionTestPayload>("POST", "/api/settings/whatsapp/test");
}

/** Templates: all of them for admins and managers, approved ones for agents. */
export function fetchTemplates(): Promise<MessageTemplatePayload[]> {
  return apiRequest<MessageTemplatePayload[]>("GET", "/api/whatsapp/templates");
}

/** Pulls every template of the WABA from Meta. */
export function syncTemplates(): Promise<TemplateSyncPayload> {
  return apiRequest<TemplateSyncPayload>("POST", "/api/whatsapp/templates/sync");
}

/** Creates a template and submits it for Meta's review. */
export function createTemplate(template: TemplateCreateRequest): Promise<MessageTemplatePayload> {
  return apiRequest<MessageTemplatePayload>("POST", "/api/whatsapp/templates", template);
}

/** Deletes one language of a template (or every language when `language` is omitted). */
export function deleteTemplate(name: string, language?: string): Promise<TemplateDeletePayload> {
  const query = language === undefined ? "" : `?language=${encodeURIComponent(language)}`;
  return apiRequest<TemplateDeletePayload>(
    "DELETE",
    `/api/whatsapp/templates/${encodeURIComponent(name)}${query}`,
  );
}

/** The per-field errors of a refused template, when the failure carries them. */
export function templateFieldErrors(error: unknown): TemplateFieldError[] {
  if (!(error instanceof ApiError) || error.id !== "validation_error") return [];
  const errors = error.data?.errors;
  if (Array.isArray(errors)) return errors as TemplateFieldError[];
  const field = error.data?.field;
  return typeof field === "string" ? [{ field, rule: "invalid", message: error.message }] : [];
}
