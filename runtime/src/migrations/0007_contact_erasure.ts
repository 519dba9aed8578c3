import type { Knex } from "knex";

/** When a contact was erased (LGPD right to be forgotten): the row stays, as an anonymous count. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("contacts", (table) => {
    table.datetime("erased_at", { precision: 3 }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("contacts", (table) => table.dropColumn("erased_at"));
}
