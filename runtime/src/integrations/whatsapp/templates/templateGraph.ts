import { z } from "zod";
import type { TemplateCreateRequest } from "../../../../contracts/templates.js";
import { whatsappNotConfigured, whatsappRequestFailed } from "../../../errors.js";
import { GraphApiError, type GraphTarget, graphRequest } from "../graphApi.js";
import type { WhatsappSettingsStore } from "../WhatsappSettingsStore.js";

/**
 * The WABA-level template calls of protocols.md A6 (list with cursor paging, create, delete),
 * all through `graphRequest`. Answers from Graph are parsed with zod: a field Graph renames or
 * drops makes a template unreadable, not the runtime.
 */

/** Where template calls go: the tenant's Graph target and WhatsApp Business Account. */
export interface WabaTarget {
  target: GraphTarget;
  wabaId: string;
}

/**
 * The saved settings as a template-call target.
 * @throws whatsapp_not_configured when there is no WABA id or access token yet
 */
export async function requireWabaTarget(store: WhatsappSettingsStore): Promise<WabaTarget> {
  const settings = await store.get();
  if (settings === undefined || settings.accessToken === null || settings.wabaId === "") {
    throw whatsappNotConfigured();
  }
  return {
    target: {
      graphApiBaseUrl: settings.graphApiBaseUrl,
      graphApiVersion: settings.graphApiVersion,
      accessToken: settings.accessToken,
    },
    wabaId: settings.wabaId,
  };
}

/** A template as Graph lists it (`message_template_id` is a string here). */
const RemoteTemplateSchema = z.object({
  id: z.union([z.string().regex(/^\d{1,32}$/), z.number().int().nonnegative()]).transform(String),
  name: z.string().min(1).max(512),
  language: z.string().min(1).max(16),
  status: z.string().min(1).max(32),
  category: z.string().max(32).nullish(),
  components: z.array(z.record(z.string(), z.unknown())).max(20).nullish(),
  parameter_format: z.string().max(16).nullish(),
  rejected_reason: z.string().max(255).nullish(),
});

/** A template read from Graph. */
export type RemoteTemplate = z.infer<typeof RemoteTemplateSchema>;

const PageSchema = z.object({
  data: z.array(z.unknown()),
  paging: z
    .object({
      cursors: z.object({ after: z.string().optional() }).partial().optional(),
      next: z.string().optional(),
    })
    .optional(),
});

const PAGE_SIZE = 100;
/** 100 × 1,000 templates is far beyond any WABA; the bound only stops a paging loop. */
const MAX_PAGES = 1_000;
const FIELDS = "id,name,status,category,language,components,parameter_format,rejected_reason";

/**
 * Every template of the WABA, following the cursor while Graph says there is a next page (A6).
 * Rows Graph returns in a shape we cannot read are skipped and counted.
 */
export async function listRemoteTemplates(
  waba: WabaTarget,
): Promise<{ templates: RemoteTemplate[]; unreadable: number }> {
  const templates: RemoteTemplate[] = [];
  let unreadable = 0;
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const query: Record<string, string> = { fields: FIELDS, limit: String(PAGE_SIZE) };
    if (after !== undefined) query.after = after;
    const raw = await graphRequest<unknown>(
      waba.target,
      "GET",
      `/${encodeURIComponent(waba.wabaId)}/message_templates`,
      undefined,
      { query },
    );
    const parsed = PageSchema.safeParse(raw);
    if (!parsed.success) {
      throw new GraphApiError({
        message: "Graph listed templates in an unexpected shape",
        status: 200,
        reason: "unknown",
        retryable: false,
      });
    }
    for (const item of parsed.data.data) {
      const template = RemoteTemplateSchema.safeParse(item);
      if (template.success) templates.push(template.data);
      else unreadable += 1;
    }
    const next = parsed.data.paging?.next;
    const cursor = parsed.data.paging?.cursors?.after;
    // Follow the cursor rather than the `next` URL: it stays on the configured Graph host.
    if (next === undefined || cursor === undefined || cursor === after) break;
    after = cursor;
  }
  return { templates, unreadable };
}

/** Graph's answer to a creation. */
const CreatedSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  status: z.string().optional(),
  category: z.string().optional(),
});

/** Submits a template for review; Graph answers its id, status (PENDING) and category. */
export async function createRemoteTemplate(
  waba: WabaTarget,
  template: TemplateCreateRequest,
): Promise<z.infer<typeof CreatedSchema>> {
  const raw = await graphRequest<unknown>(
    waba.target,
    "POST",
    `/${encodeURIComponent(waba.wabaId)}/message_templates`,
    template,
  );
  const parsed = CreatedSchema.safeParse(raw);
  if (!parsed.success) {
    throw new GraphApiError({
      message: "Graph answered a template creation without an id",
      status: 200,
      reason: "unknown",
      retryable: false,
    });
  }
  return parsed.data;
}

/** Deletes every language of a name, or one template when `hsmId` is given. */
export async function deleteRemoteTemplate(
  waba: WabaTarget,
  name: string,
  hsmId?: string,
): Promise<void> {
  await graphRequest<unknown>(
    waba.target,
    "DELETE",
    `/${encodeURIComponent(waba.wabaId)}/message_templates`,
    undefined,
    { query: hsmId === undefined ? { name } : { name, hsm_id: hsmId } },
  );
}

/** Meta's own explanation inside a GraphApiError's message (after the call summary). */
export function graphDetails(error: GraphApiError): string {
  const match = /\)\s*:\s*(.+)$/s.exec(error.message);
  return (match?.[1] ?? error.message).trim();
}

/** A Graph failure as the API reports it to the admin (502 `whatsapp_request_failed`). */
export function templateRequestFailed(error: GraphApiError, action: string) {
  return whatsappRequestFailed(`WhatsApp refused to ${action}: ${graphDetails(error)}`, {
    reason: error.reason,
    code: error.code ?? null,
    retryable: error.retryable,
  });
}
