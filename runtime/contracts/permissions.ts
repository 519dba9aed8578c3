import { z } from "zod";

/**
 * What a user may do, feature by feature. Roles are named sets of these; every HTTP route and
 * socket event checks one of them (never a role name), so a custom role works everywhere a
 * built-in one does. Shared with the browser, which hides what the user cannot use.
 */
export const permissions = [
  /** See and answer conversations assigned to you or to your queues (the inbox). */
  "conversations.viewAssigned",
  /** See every conversation of the tenant. */
  "conversations.viewAll",
  /** Assign and transfer conversations to other agents. */
  "conversations.assign",
  /** Send WhatsApp messages in conversations you can see. */
  "messages.send",
  /** See contacts' details (name, number, tags, consent). */
  "contacts.view",
  /** Edit contacts (name, tags). */
  "contacts.edit",
  /** Export everything held about a person (LGPD access request). */
  "contacts.export",
  /** Erase or anonymise a person (LGPD right to be forgotten). */
  "contacts.erase",
  /** Use approved message templates. */
  "templates.view",
  /** Create, submit, sync and delete message templates. */
  "templates.manage",
  /** WhatsApp connection settings (phone number, tokens). */
  "settings.whatsapp",
  /** Everyday settings: quick replies, business hours, notifications. */
  "settings.general",
  /** Add users, change their role, disable them, reset passwords, lift lockouts. */
  "users.manage",
  /** Define custom roles. */
  "roles.manage",
  /** Read and export the activity log. */
  "audit.view",
  /** Manager reports. */
  "reports.view",
] as const;

/** One permission. */
export type Permission = (typeof permissions)[number];

/** The three roles every tenant starts with; they cannot be changed or deleted. */
export const builtinRolePermissions = {
  admin: permissions,
  manager: [
    "conversations.viewAssigned",
    "conversations.viewAll",
    "conversations.assign",
    "messages.send",
    "contacts.view",
    "contacts.edit",
    "contacts.export",
    "templates.view",
    "templates.manage",
    "settings.general",
    "reports.view",
  ],
  agent: ["conversations.viewAssigned", "messages.send", "contacts.view", "templates.view"],
} as const satisfies Record<string, readonly Permission[]>;

/** A role key: lower-case letters, digits and dashes (built-in: admin, manager, agent). */
export const RoleKeySchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9-]{1,39}$/, "must be 2–40 lower-case letters, digits or dashes");

const RoleNameSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(80, "must be at most 80 characters")
  .refine((value) => !/\p{Cc}/u.test(value), "must not contain control characters");

const PermissionListSchema = z
  .array(z.enum(permissions))
  .max(permissions.length)
  .transform((list) => [...new Set(list)]);

/** Body of `POST /api/roles`. */
export const RoleCreateSchema = z.object({
  key: RoleKeySchema,
  name: RoleNameSchema,
  permissions: PermissionListSchema,
});
export type RoleCreateRequest = z.infer<typeof RoleCreateSchema>;

/** Body of `PATCH /api/roles/:key`. */
export const RoleUpdateSchema = z
  .object({ name: RoleNameSchema.optional(), permissions: PermissionListSchema.optional() })
  .strict()
  .refine((value) => Object.keys(value).length > 0, "nothing to change");
export type RoleUpdateRequest = z.infer<typeof RoleUpdateSchema>;

/** A role as the API shows it. */
export interface RolePayload {
  key: string;
  name: string;
  permissions: Permission[];
  builtin: boolean;
  /** How many users have it (a role in use cannot be deleted). */
  users: number;
}
