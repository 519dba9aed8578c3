import type { Knex } from "knex";

/** Optional second factor: a TOTP secret per user, sealed with the tenant's key. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("users", (table) => {
    // Set when enrolment starts; the factor counts only once `totp_enabled_at` is set.
    table.text("totp_secret_sealed").nullable();
    table.datetime("totp_enabled_at", { precision: 3 }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("users", (table) => {
    table.dropColumn("totp_secret_sealed");
    table.dropColumn("totp_enabled_at");
  });
}
