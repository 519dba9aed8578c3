import type { Knex } from "knex";

/**
 * The activity log is append-only for the application: the database itself refuses UPDATE, and
 * DELETE except from the retention job, which opts in per connection with
 * `SET @atende_audit_prune = 1` (see `auditRetention.ts`). A bug or an injected query in the
 * app cannot rewrite history.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TRIGGER activity_log_no_update BEFORE UPDATE ON activity_log
    FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'activity_log is append-only'
  `);
  await knex.raw(`
    CREATE TRIGGER activity_log_no_delete BEFORE DELETE ON activity_log
    FOR EACH ROW BEGIN
      IF COALESCE(@atende_audit_prune, 0) <> 1 THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'activity_log is append-only';
      END IF;
    END
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP TRIGGER IF EXISTS activity_log_no_update");
  await knex.raw("DROP TRIGGER IF EXISTS activity_log_no_delete");
}
