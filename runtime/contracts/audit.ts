import { z } from "zod";

/** Query of `GET /api/audit` and `GET /api/audit/export.csv`. */
export const AuditQuerySchema = z
  .object({
    /** An exact action (`sessions.fail`) or a family (`sessions.`, `users.`). */
    action: z
      .string()
      .trim()
      .regex(
        /^[a-zA-Z.]{1,64}$/,
        "must be an action such as sessions.fail or a prefix such as users.",
      )
      .optional(),
    actorUserId: z.coerce.number().int().positive().optional(),
    ip: z
      .string()
      .trim()
      .max(45)
      .regex(/^[0-9a-fA-F:.]+$/, "must be an IP address")
      .optional(),
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
    /** Cursor: entries older than this id (from the previous page's `nextBefore`). */
    before: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict()
  .refine((query) => !(query.from && query.to) || query.from <= query.to, {
    message: "from must not be after to",
    path: ["from"],
  });
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

/** One activity-log entry as admins see it. */
export interface AuditEntryPayload {
  id: number;
  at: string;
  action: string;
  actor: { id: number; name: string; email: string } | null;
  ip: string | null;
  userAgent: string | null;
  data: Record<string, unknown> | null;
}

/** A page of the activity log, newest first. */
export interface AuditPagePayload {
  entries: AuditEntryPayload[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
}
