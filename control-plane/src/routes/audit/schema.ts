import { z } from "zod";

/** `GET /api/audit?limit=&before=`: newest first, paged by id. */
export const AuditListSchema = {
  query: z.object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    before: z.coerce.number().int().positive().optional(),
  }),
};
