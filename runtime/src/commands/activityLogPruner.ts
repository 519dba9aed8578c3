import type { Knex } from "knex";

/** Rows per DELETE: each batch is its own short transaction. */
const BATCH = 1_000;

/**
 * Deletes activity-log entries older than `days` (the audit retention). The table refuses
 * deletes (migration 0005) unless the connection opts in with `@atende_audit_prune`, which is
 * set and cleared inside each transaction so the pooled connection never keeps it.
 * @returns how many entries were deleted
 */
export async function activityLogPruner(props: {
  db: Knex;
  days: number;
  now?: Date;
}): Promise<number> {
  const cutoff = new Date((props.now ?? new Date()).getTime() - props.days * 86_400_000);
  let deleted = 0;
  for (;;) {
    const removed = await props.db.transaction<number>(async (trx) => {
      await trx.raw("SET @atende_audit_prune = 1");
      let count = 0;
      try {
        count = await trx("activity_log")
          .where("created_at", "<", cutoff)
          .orderBy("id")
          .limit(BATCH)
          .delete();
      } finally {
        // Cleared even when the delete fails: the connection goes back to the pool.
        await trx.raw("SET @atende_audit_prune = NULL");
      }
      return count;
    });
    deleted += removed;
    if (removed < BATCH) return deleted;
  }
}
