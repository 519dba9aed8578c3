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
