import { z } from "zod";

const tenantName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, "must be 1–32 lowercase letters, digits and hyphens")
  .refine((name) => !name.endsWith("-"), "must not end with a hyphen");

/** `:name` in a tenant path. */
export const TenantParamsSchema = { params: z.object({ name: tenantName }) };

/** `POST /api/tenants`: create a tenant. */
export const TenantCreateSchema = {
  body: z
    .object({
      name: tenantName,
      adminEmail: z.email().max(254),
      template: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{0,63}$/)
        .optional(),
    })
    .strict(),
};

/** `DELETE /api/tenants/:name`: the body repeats the name, as the dashboard's dialog asks. */
export const TenantDestroySchema = {
  params: z.object({ name: tenantName }),
  body: z
    .object({
      confirm: z.string().max(64),
      keepData: z.boolean().optional(),
    })
    .strict(),
};

/**
 * A backup id from the catalogue (`20261127T211700Z-3fa9c1`). The API never takes a path: the
 * library would also accept a backup directory, which staff must not name over HTTP.
 */
const backupId = z
  .string()
  .regex(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/, "must be a backup id such as 20261127T211700Z-3fa9c1");

/** `POST /api/tenants/:name/backups/:id/verify`. */
export const BackupParamsSchema = { params: z.object({ name: tenantName, id: backupId }) };

/**
 * `POST /api/tenants/:name/restore`: `as` restores into a new tenant; restoring in place
 * replaces the tenant's data, so `confirm` must repeat its name.
 */
export const TenantRestoreSchema = {
  params: z.object({ name: tenantName }),
  body: z
    .object({
      from: backupId,
      as: tenantName.optional(),
      confirm: z.string().max(64).optional(),
    })
    .strict(),
};

/** `POST /api/tenants/:name/upgrade`: `confirm` repeats the tenant's name (the app restarts). */
export const TenantUpgradeSchema = {
  params: z.object({ name: tenantName }),
  body: z
    .object({
      to: z
        .string()
        .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "must be an image tag such as 0.2.0"),
      confirm: z.string().max(64),
    })
    .strict(),
};

/** `:name/config/:key`: the key's spelling only; the library says whether it exists. */
export const TenantConfigKeyParamsSchema = {
  params: z.object({
    name: tenantName,
    key: z.string().regex(/^[a-z][a-z0-9.-]{0,63}$/, "must be a setting such as timezone"),
  }),
};

/** `PUT /api/tenants/:name/config/:key`: the new value (validated by the library per key). */
export const TenantConfigSetSchema = {
  ...TenantConfigKeyParamsSchema,
  body: z.object({ value: z.string().max(4096, "must be at most 4096 characters") }).strict(),
};
