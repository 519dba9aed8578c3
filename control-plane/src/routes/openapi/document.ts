import { z } from "zod";
import { ATENDE_VERSION } from "../../version.js";
import { AuditListSchema } from "../audit/schema.js";
import { SessionCreateSchema } from "../session/schema.js";
import { StaffCreateSchema } from "../staff/schema.js";
import {
  TenantConfigSetSchema,
  TenantCreateSchema,
  TenantDestroySchema,
  TenantRestoreSchema,
  TenantUpgradeSchema,
} from "../tenants/schema.js";

type Role = "viewer" | "operator" | "owner" | "public" | "session";

interface RouteDoc {
  method: "get" | "post" | "put" | "delete";
  path: string;
  summary: string;
  role: Role;
  body?: z.ZodType;
  query?: Record<string, { type: string; description: string }>;
  responses: Record<string, string>;
}

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input" });
const tenantParam = { name: "name", in: "path", required: true, schema: { type: "string" } };

/** Every route of the API. `app.int.test.ts` checks this list against the Express router. */
export const ROUTES: RouteDoc[] = [
  {
    method: "post",
    path: "/api/session",
    summary: "Sign in; sets the HttpOnly session cookie.",
    role: "public",
    body: SessionCreateSchema.body,
    responses: {
      200: "Signed in",
      401: "Wrong credentials",
      429: "Too many failures from this address",
    },
  },
  {
    method: "get",
    path: "/api/session",
    summary: "The signed-in staff member.",
    role: "session",
    responses: { 200: "Staff member", 401: "Signed out" },
  },
  {
    method: "delete",
    path: "/api/session",
    summary: "Sign out.",
    role: "public",
    responses: { 200: "Signed out" },
  },
  {
    method: "get",
    path: "/api/tenants",
    summary: "Tenants with status, observed Docker state, version and URL.",
    role: "viewer",
    responses: { 200: "Tenants" },
  },
  {
    method: "post",
    path: "/api/tenants",
    summary: "Create a tenant in the background; progress on Socket.IO `operation:progressed`.",
    role: "operator",
    body: TenantCreateSchema.body,
    responses: {
      202: "Operation started",
      400: "Invalid input",
      409: "Exists or busy",
      503: "Docker or store unavailable",
    },
  },
  {
    method: "get",
    path: "/api/tenants/{name}",
    summary: "One tenant with its containers' health and operation history.",
    role: "viewer",
    responses: { 200: "Tenant", 404: "No such tenant", 503: "Docker unavailable" },
  },
  {
    method: "delete",
    path: "/api/tenants/{name}",
    summary: "Destroy a tenant; the body must repeat its name.",
    role: "owner",
    body: TenantDestroySchema.body,
    responses: {
      202: "Operation started",
      400: "Confirmation missing or wrong",
      404: "No such tenant",
      503: "Docker unavailable",
    },
  },
  {
    method: "post",
    path: "/api/tenants/{name}/stop",
    summary: "Stop a tenant's containers.",
    role: "operator",
    responses: {
      202: "Operation started",
      404: "No such tenant",
      409: "Busy or not ready",
      503: "Docker unavailable",
    },
  },
  {
    method: "post",
    path: "/api/tenants/{name}/start",
    summary: "Start a stopped tenant and wait until ready.",
    role: "operator",
    responses: {
      202: "Operation started",
      404: "No such tenant",
      409: "Busy or not ready",
      503: "Docker unavailable",
    },
  },
  {
    method: "get",
    path: "/api/tenants/{name}/stats",
    summary: "CPU and memory of the tenant's running containers (one docker stats sample).",
    role: "viewer",
    responses: { 200: "Stats", 404: "No such tenant", 503: "Docker unavailable" },
  },
  {
    method: "get",
    path: "/api/tenants/{name}/backups",
    summary: "The tenant's backups, newest first: status, size, verification (never paths).",
    role: "viewer",
    responses: { 200: "Backups", 404: "No such tenant" },
  },
  {
    method: "post",
    path: "/api/tenants/{name}/backups",
    summary: "Back up the tenant while it keeps serving; progress on Socket.IO.",
    role: "operator",
    responses: {
      202: "Operation started",
      404: "No such tenant",
      409: "Busy",
      503: "Docker unavailable",
    },
  },
  {
    method: "post",
    path: "/api/tenants/{name}/backups/{id}/verify",
    summary: "Prove a backup restores, in a throw-away tenant; the verdict goes to the catalogue.",
    role: "operator",
    responses: {
      202: "Operation started",
      400: "Invalid backup id",
      404: "No such backup",
      503: "Docker unavailable",
    },
  },
  {
    method: "post",
    path: "/api/tenants/{name}/restore",
    summary:
      "Restore a backup: in place (takes a safety backup first; `confirm` must repeat the name) or `as` a new tenant.",
    role: "owner",
    body: TenantRestoreSchema.body,
    responses: {
      202: "Operation started",
      400: "Invalid input or confirmation missing",
      404: "No such backup",
      409: "Busy or the new tenant exists",
      503: "Docker unavailable",
    },
  },
  {
    method: "post",
    path: "/api/tenants/{name}/upgrade",
    summary:
      "Upgrade to release `to` (backup first, automatic rollback); `confirm` must repeat the name.",
    role: "operator",
    body: TenantUpgradeSchema.body,
    responses: {
      202: "Operation started",
      400: "Invalid version or confirmation missing",
      404: "No such tenant",
      409: "Busy",
      503: "Docker unavailable",
    },
  },
  {
    method: "get",
    path: "/api/tenants/{name}/config",
    summary:
      "A tenant's settings with descriptions; secrets only ever masked (`••••1234`). WhatsApp settings are read from the running tenant (`unavailable` says why not).",
    role: "viewer",
    responses: { 200: "Settings", 404: "No such tenant" },
  },
  {
    method: "put",
    path: "/api/tenants/{name}/config/{key}",
    summary:
      "Set one setting: validated, secrets encrypted, applied (re-creating only the containers it changes; WhatsApp settings go into the tenant's database with no restart), journalled; answers when applied. Steps on Socket.IO `operation:progressed`. The audit row names the key, never the value.",
    role: "operator",
    body: TenantConfigSetSchema.body,
    responses: {
      200: "Applied (or already had that value: `changed` false)",
      400: "Unknown key or invalid value (the message names the key and says why)",
      404: "No such tenant",
      409: "Busy, not ready, or the domain belongs to another tenant",
      502: "The tenant did not become ready again (the previous value was put back)",
      503: "Docker unavailable",
    },
  },
  {
    method: "delete",
    path: "/api/tenants/{name}/config/{key}",
    summary:
      "Unset one setting: back to the template's default (WhatsApp: a secret is cleared, a URL or version goes back to its default). Send `{}` as the JSON body.",
    role: "operator",
    responses: {
      200: "Applied (or was not set: `changed` false)",
      400: "Unknown key, or a WhatsApp id (it can only be replaced)",
      404: "No such tenant",
      409: "Busy or not ready",
      503: "Docker unavailable",
    },
  },
  {
    method: "get",
    path: "/api/operations/{id}",
    summary: "One operation from the journal (CLI or API).",
    role: "viewer",
    responses: { 200: "Operation", 404: "No such operation" },
  },
  {
    method: "get",
    path: "/api/doctor",
    summary: "The checks of `atende doctor`.",
    role: "viewer",
    responses: { 200: "Checks" },
  },
  {
    method: "get",
    path: "/api/audit",
    summary: "The staff audit log, newest first.",
    role: "owner",
    query: {
      limit: {
        type: "integer",
        description: `1–500, default ${AuditListSchema.query.shape.limit.def.defaultValue}`,
      },
      before: { type: "integer", description: "only rows with a smaller id" },
    },
    responses: { 200: "Audit rows" },
  },
  {
    method: "get",
    path: "/api/staff",
    summary: "Staff accounts.",
    role: "owner",
    responses: { 200: "Staff" },
  },
  {
    method: "post",
    path: "/api/staff",
    summary: "Create a staff account; answers its one-time password once.",
    role: "owner",
    body: StaffCreateSchema.body,
    responses: { 201: "Created", 409: "Exists" },
  },
  {
    method: "post",
    path: "/api/staff/{email}/disable",
    summary: "Disable a staff account and end its sessions.",
    role: "owner",
    responses: { 200: "Disabled", 400: "Your own account", 404: "No such account" },
  },
  {
    method: "post",
    path: "/api/staff/{email}/enable",
    summary: "Re-enable a staff account.",
    role: "owner",
    responses: { 200: "Enabled", 404: "No such account" },
  },
  {
    method: "get",
    path: "/api/openapi.json",
    summary: "This document.",
    role: "public",
    responses: { 200: "OpenAPI 3.1" },
  },
];

const errorSchema = {
  type: "object",
  required: ["ok", "error", "status", "message"],
  properties: {
    ok: { const: false },
    error: { type: "string", description: "stable snake_case id, e.g. tenant_not_found" },
    status: { type: "integer" },
    message: { type: "string" },
    hint: { type: "string" },
  },
};

/** The OpenAPI 3.1 document of the control-plane API. */
export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const parameters = [
      ...(route.path.includes("{name}") ? [tenantParam] : []),
      ...(route.path.includes("{key}")
        ? [
            {
              name: "key",
              in: "path",
              required: true,
              schema: {
                type: "string",
                description: "a setting, e.g. timezone or whatsapp.waba-id",
              },
            },
          ]
        : []),
      ...(route.path.includes("{email}")
        ? [
            {
              name: "email",
              in: "path",
              required: true,
              schema: { type: "string", format: "email" },
            },
          ]
        : []),
      ...(route.path.includes("{id}")
        ? [
            {
              name: "id",
              in: "path",
              required: true,
              schema: route.path.includes("/backups/")
                ? { type: "string", description: "backup id, e.g. 20261127T211700Z-3fa9c1" }
                : { type: "string", format: "uuid" },
            },
          ]
        : []),
      ...Object.entries(route.query ?? {}).map(([name, { type, description }]) => ({
        name,
        in: "query",
        required: false,
        description,
        schema: { type },
      })),
    ];
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method] = {
      summary: route.summary,
      "x-atende-role": route.role,
      security: route.role === "public" ? [] : [{ session: [] }],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: json(route.body) } },
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries(route.responses).map(([status, description]) => [
          status,
          {
            description,
            content: {
              "application/json": {
                schema:
                  Number(status) < 400
                    ? { type: "object", properties: { ok: { const: true }, data: {} } }
                    : { $ref: "#/components/schemas/Error" },
              },
            },
          },
        ]),
      ),
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "atende control plane",
      version: ATENDE_VERSION,
      description:
        "Staff API of the atende control plane. State-changing requests need a JSON body and an Origin equal to the server's origin (CSRF). Roles: viewer < operator < owner.",
    },
    paths,
    components: {
      securitySchemes: { session: { type: "apiKey", in: "cookie", name: "atende_cp_session" } },
      schemas: { Error: errorSchema },
    },
  };
}
