import type { Knex } from "knex";

/**
 * Manager reports select conversations by when they opened (a day, a month, a year): without an
 * index a year's report scans the whole table.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("conversations", (table) => {
    table.index(["opened_at"], "conversations_opened_at_index");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("conversations", (table) => {
    table.dropIndex(["opened_at"], "conversations_opened_at_index");
  });
}
