import type { Knex } from "knex";

/** Options every table shares: InnoDB, utf8mb4 (emoji and every script survive). */
function tableDefaults(table: Knex.CreateTableBuilder): void {
  table.engine("InnoDB");
  table.charset("utf8mb4");
  table.collate("utf8mb4_unicode_ci");
}

/**
 * What agents working together need: queues (teams) that conversations wait in, private notes,
 * contact tags, quick replies, the consent state of each contact with its history, where an
 * outbound message came from (an agent, an automatic answer, the system), and an indexed sort
 * key so the conversation list stays fast with tens of thousands of conversations.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("queues", (table) => {
    tableDefaults(table);
    table.increments("id").primary();
    table.string("name", 80).notNullable().unique();
    table.datetime("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
  });

  await knex.schema.createTable("queue_members", (table) => {
    tableDefaults(table);
    table
      .integer("queue_id")
      .unsigned()
      .notNullable()
      .references("id")
      .inTable("queues")
      .onDelete("CASCADE");
    table
      .integer("user_id")
      .unsigned()
      .notNullable()
      .references("id")
      .inTable("users")
      .onDelete("CASCADE");
    table.primary(["queue_id", "user_id"]);
    table.index(["user_id"]);
  });

  await knex.schema.alterTable("conversations", (table) => {
    table
      .integer("queue_id")
      .unsigned()
      .nullable()
      .references("id")
      .inTable("queues")
      .onDelete("SET NULL");
    // First reply by a person or an automatic answer, for reports (first response time).
    table.datetime("first_response_at", { precision: 3 }).nullable();
    table.datetime("assigned_at", { precision: 3 }).nullable();
  });
  // The list sorts by last activity; a stored generated column makes that sort indexable.
  await knex.raw(
    "ALTER TABLE conversations ADD COLUMN sort_at DATETIME(3) AS (COALESCE(last_message_at, opened_at)) STORED",
  );
  await knex.schema.alterTable("conversations", (table) => {
    table.index(["sort_at", "id"], "conversations_sort_at_id_index");
    table.index(["status", "sort_at", "id"], "conversations_status_sort_at_index");
    table.index(["assigned_user_id", "sort_at", "id"], "conversations_assigned_sort_at_index");
    table.index(["queue_id", "sort_at", "id"], "conversations_queue_sort_at_index");
  });

  await knex.schema.alterTable("messages", (table) => {
    // Outbound only: `agent` (a person in the inbox), `automatic` (FILA-IA and other automatic
    // answers), `system` (consent prompts and other messages atende sends by itself).
    table.string("origin", 16).nullable();
  });

  await knex.schema.createTable("conversation_notes", (table) => {
    tableDefaults(table);
    table.bigIncrements("id").primary();
    table
      .integer("conversation_id")
      .unsigned()
      .notNullable()
      .references("id")
      .inTable("conversations")
      .onDelete("CASCADE");
    table
      .integer("author_user_id")
      .unsigned()
      .nullable()
      .references("id")
      .inTable("users")
      .onDelete("SET NULL");
    table.text("body").notNullable();
    table.datetime("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    table.index(["conversation_id", "id"]);
  });

  await knex.schema.createTable("contact_tags", (table) => {
    tableDefaults(table);
    table
      .integer("contact_id")
      .unsigned()
      .notNullable()
      .references("id")
      .inTable("contacts")
      .onDelete("CASCADE");
    table.string("tag", 40).notNullable();
    table.primary(["contact_id", "tag"]);
    table.index(["tag"]);
  });

  await knex.schema.createTable("quick_replies", (table) => {
    tableDefaults(table);
    table.increments("id").primary();
    // Typed after "/" in the composer.
    table.string("shortcut", 32).notNullable().unique();
    table.string("title", 80).notNullable();
    table.text("body").notNullable();
    table
      .integer("updated_by_user_id")
      .unsigned()
      .nullable()
      .references("id")
      .inTable("users")
      .onDelete("SET NULL");
    table.datetime("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    table
      .datetime("updated_at", { precision: 3 })
      .notNullable()
      .defaultTo(knex.raw("CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)"));
  });

  // The current consent state, for sends to check in one read; the history is below.
  await knex.schema.alterTable("contacts", (table) => {
    table
      .enu("consent_status", ["unknown", "asked", "granted", "revoked"])
      .notNullable()
      .defaultTo("unknown");
    table.datetime("consent_updated_at", { precision: 3 }).nullable();
  });

  // Every consent event, append-only: when, which text version, through which channel.
  await knex.schema.createTable("consent_records", (table) => {
    tableDefaults(table);
    table.bigIncrements("id").primary();
    table
      .integer("contact_id")
      .unsigned()
      .notNullable()
      .references("id")
      .inTable("contacts")
      .onDelete("CASCADE");
    table.enu("status", ["asked", "granted", "revoked"]).notNullable();
    table.string("text_version", 32).notNullable();
    // `whatsapp` today; the column leaves room for other channels.
    table.string("channel", 32).notNullable();
    // How it was given: `button`, `keyword` (STOP/SAIR), `agent` (recorded by a user).
    table.string("source", 16).notNullable();
    table.string("wamid", 191).nullable();
    table
      .integer("recorded_by_user_id")
      .unsigned()
      .nullable()
      .references("id")
      .inTable("users")
      .onDelete("SET NULL");
    table.datetime("recorded_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    table.index(["contact_id", "id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("consent_records");
  await knex.schema.alterTable("contacts", (table) => {
    table.dropColumn("consent_status");
    table.dropColumn("consent_updated_at");
  });
  await knex.schema.dropTable("quick_replies");
  await knex.schema.dropTable("contact_tags");
  await knex.schema.dropTable("conversation_notes");
  await knex.schema.alterTable("messages", (table) => table.dropColumn("origin"));
  // The queue foreign key uses the (queue_id, sort_at, id) index: it goes first.
  await knex.schema.alterTable("conversations", (table) => table.dropForeign(["queue_id"]));
  await knex.schema.alterTable("conversations", (table) => {
    table.dropIndex(["sort_at", "id"], "conversations_sort_at_id_index");
    table.dropIndex(["status", "sort_at", "id"], "conversations_status_sort_at_index");
    table.dropIndex(["assigned_user_id", "sort_at", "id"], "conversations_assigned_sort_at_index");
    table.dropIndex(["queue_id", "sort_at", "id"], "conversations_queue_sort_at_index");
  });
  await knex.schema.alterTable("conversations", (table) => {
    table.dropColumn("sort_at");
    table.dropColumn("queue_id");
    table.dropColumn("first_response_at");
    table.dropColumn("assigned_at");
  });
  await knex.schema.dropTable("queue_members");
  await knex.schema.dropTable("queues");
}
