import { z } from "zod";

/**
 * An ISO 8601 date (`2026-01-31`) or instant with its offset (`2026-01-31T12:00:00.000Z`).
 * Stricter than `Date` parsing, which reads almost any text as some date.
 */
const IsoInstantSchema = z
  .string()
  .trim()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/,
    "must be an ISO 8601 date or instant, e.g. 2026-01-31T12:00:00Z",
  )
  .transform((value) => new Date(value))
  .refine((date) => !Number.isNaN(date.getTime()), "must be a real date");

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
    from: IsoInstantSchema.optional(),
    to: IsoInstantSchema.optional(),
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
