import type { EmulatorContext } from "../context.js";
import { GraphError, graphErrors } from "../errors.js";
import { newNumericId } from "../ids.js";
import type { Template } from "../state/types.js";
import { parseTemplateDefinition } from "./templateRules.js";

/** How a template looks in the REST API (`id` is a string here). */
export function presentTemplate(template: Template, fields?: string[]): Record<string, unknown> {
  const full: Record<string, unknown> = {
    id: template.id,
    name: template.name,
    language: template.language,
    status: template.status,
    category: template.category,
    parameter_format: template.parameterFormat,
    components: template.components,
    rejected_reason: template.rejectedReason,
  };
  if (!fields || fields.length === 0) return full;
  return Object.fromEntries(
    Object.entries(full).filter(([key]) => key === "id" || fields.includes(key)),
  );
}

/**
 * `GET /{waba-id}/message_templates`: filters (`name` substring, `status`, `category`,
 * `language`), `fields`, and Graph cursor paging (`limit`, `after`, `before`, `paging.next`).
 */
export function listTemplates(
  ctx: EmulatorContext,
  query: Record<string, unknown>,
  selfUrl: string,
): { data: Record<string, unknown>[]; paging?: Record<string, unknown> } {
  const str = (key: string) =>
    typeof query[key] === "string" ? (query[key] as string) : undefined;
  const limitRaw = str("limit");
  const limit = limitRaw === undefined ? 25 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw graphErrors.invalidParameter("Param limit must be an integer between 1 and 1000");
  const fields = str("fields")
    ?.split(",")
    .map((f) => f.trim())
    .filter(Boolean);
  const name = str("name");
  const status = str("status")?.toUpperCase().split(",");
  const category = str("category")?.toUpperCase().split(",");
  const language = str("language");
  const all = ctx.store
    .templateList()
    .filter(
      (t) =>
        (name === undefined || t.name.includes(name)) &&
        (status === undefined || status.includes(t.status)) &&
        (category === undefined || category.includes(t.category)) &&
        (language === undefined || t.language === language),
    );
  const after = decodeCursor(str("after"));
  const before = decodeCursor(str("before"));
  let start = 0;
  if (after !== undefined) start = all.findIndex((t) => t.seq > after);
  if (after !== undefined && start === -1) start = all.length;
  let end = Math.min(all.length, start + limit);
  if (before !== undefined && after === undefined) {
    end = all.findIndex((t) => t.seq >= before);
    if (end === -1) end = all.length;
    start = Math.max(0, end - limit);
  }
  const page = all.slice(start, end);
  const data = page.map((t) => presentTemplate(t, fields));
  const first = page[0];
  const last = page.at(-1);
  if (!first || !last) return { data };
  const paging: Record<string, unknown> = {
    cursors: { before: encodeCursor(first.seq), after: encodeCursor(last.seq) },
  };
  const link = (key: "after" | "before", seq: number) => {
    const url = new URL(selfUrl);
    url.searchParams.delete("after");
    url.searchParams.delete("before");
    url.searchParams.delete("access_token");
    url.searchParams.set("limit", String(limit));
    url.searchParams.set(key, encodeCursor(seq));
    return url.toString();
  };
  if (end < all.length) paging.next = link("after", last.seq);
  if (start > 0) paging.previous = link("before", first.seq);
  return { data, paging };
}

/** `POST /{waba-id}/message_templates`: validates Meta's rules and stores the template as PENDING. */
export function createTemplate(
  ctx: EmulatorContext,
  body: unknown,
): { id: string; status: "PENDING"; category: string } {
  const definition = parseTemplateDefinition(body);
  const sameName = ctx.store.templateList().filter((t) => t.name === definition.name);
  if (sameName.some((t) => t.status === "PENDING_DELETION")) {
    throw new GraphError({
      code: 100,
      subcode: 2388023,
      details: `Message template "${definition.name}" is being deleted; the name cannot be reused yet.`,
    });
  }
  if (sameName.some((t) => t.language === definition.language)) {
    throw new GraphError({
      code: 100,
      subcode: 2388024,
      details: `Message template "${definition.name}" already has content in ${definition.language}.`,
    });
  }
  const template = insertTemplate(ctx, { ...definition, status: "PENDING" });
  return { id: template.id, status: "PENDING", category: template.category };
}

/** Stores a template without review (seeds, control API). */
export function insertTemplate(
  ctx: EmulatorContext,
  definition: Omit<Template, "id" | "seq" | "rejectedReason"> & { id?: string },
): Template {
  const template: Template = {
    ...definition,
    id: definition.id ?? newNumericId(),
    rejectedReason: "NONE",
    seq: ctx.store.nextTemplateSeq(),
  };
  ctx.store.templates.set(template.id, template);
  ctx.store.changed({ kind: "template" });
  return template;
}

/**
 * `DELETE /{waba-id}/message_templates?name=...[&hsm_id=...]`: every language of the name, or one
 * template. Deleted templates stay listed as PENDING_DELETION and can no longer be sent.
 */
export function deleteTemplates(
  ctx: EmulatorContext,
  query: Record<string, unknown>,
): { success: true } {
  const name = typeof query.name === "string" ? query.name : undefined;
  const hsmId = typeof query.hsm_id === "string" ? query.hsm_id : undefined;
  if (name === undefined) throw graphErrors.missingParameter("The parameter name is required.");
  const matches = ctx.store
    .templateList()
    .filter(
      (t) =>
        t.name === name &&
        (hsmId === undefined || t.id === hsmId) &&
        t.status !== "PENDING_DELETION",
    );
  if (matches.length === 0) {
    throw new GraphError({
      code: 100,
      subcode: 2593002,
      details: `Message template "${name}" not found.`,
    });
  }
  for (const template of matches) template.status = "PENDING_DELETION";
  ctx.store.changed({ kind: "template" });
  return { success: true };
}

/** `POST /{template-id}`: new components and/or category; the template goes back to review. */
export function editTemplate(
  ctx: EmulatorContext,
  template: Template,
  body: unknown,
): { success: true } {
  const patch = (body ?? {}) as { components?: unknown; category?: unknown };
  if (patch.components === undefined && patch.category === undefined) {
    throw graphErrors.missingParameter("The parameter components or category is required.");
  }
  if (template.status === "PENDING_DELETION")
    throw graphErrors.invalidParameter("A template being deleted cannot be edited.");
  const definition = parseTemplateDefinition({
    name: template.name,
    language: template.language,
    category: patch.category ?? template.category,
    parameter_format: template.parameterFormat,
    components: patch.components ?? template.components,
  });
  template.components = definition.components;
  template.category = definition.category;
  template.status = "PENDING";
  template.rejectedReason = "NONE";
  ctx.store.changed({ kind: "template" });
  return { success: true };
}

function encodeCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString("base64url");
}

function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const match = /^seq:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString());
  if (!match) throw graphErrors.invalidParameter("Param after/before is not a valid cursor");
  return Number(match[1]);
}
