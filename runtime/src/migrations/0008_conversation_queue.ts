import type { Knex } from "knex";

/**
 * What the inbox's conversation list needs: a `pending` status (waiting on the customer or a
 * colleague), the agent a conversation is assigned to, and how many customer messages nobody has
 * read yet.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    "ALTER TABLE conversations MODIFY status ENUM('open', 'pending', 'resolved') NOT NULL DEFAULT 'open'",
  );
  await knex.schema.alterTable("conversations", (table) => {
    table
      .integer("assigned_user_id")
      .unsigned()
      .nullable()
      .references("id")
      .inTable("users")
      .onDelete("SET NULL");
    table.integer("unread_count").unsigned().notNullable().defaultTo(0);
    table.index(["assigned_user_id", "last_message_at"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("conversations", (table) => {
    table.dropForeign(["assigned_user_id"]);
    table.dropIndex(["assigned_user_id", "last_message_at"]);
    table.dropColumn("assigned_user_id");
    table.dropColumn("unread_count");
  });
  await knex.raw("UPDATE conversations SET status = 'open' WHERE status = 'pending'");
  await knex.raw(
    "ALTER TABLE conversations MODIFY status ENUM('open', 'resolved') NOT NULL DEFAULT 'open'",
  );
}
