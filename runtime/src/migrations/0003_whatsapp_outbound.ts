import type { Knex } from "knex";

/**
 * The outbound half of the WhatsApp channel:
 * - `messages.wamid` becomes nullable: an outbound message is stored (status `queued`) before
 *   Meta answers; MariaDB's unique index allows many NULLs and still refuses a second equal wamid;
 * - `messages.client_key`: the idempotency key the browser generates per message, unique, so a
 *   retried POST returns the stored message instead of sending twice;
 * - `messages.outbound_request`: what to send (validated input, resolved ids), read by the send
 *   job, whose data carries only the message id;
 * - `messages.failure_reason`: the stable reason id (contracts/whatsapp-failures.ts);
 * - `messages.sent_by_user_id`, `messages.send_attempts`;
 * - `message_media.whatsapp_media_id` nullable: an uploaded file gets Meta's id when the job
 *   uploads it;
 * - `outbound_media`: files agents uploaded (under MEDIA_DIR) waiting to be attached to a message.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("messages", (table) => {
    table.string("wamid", 191).nullable().alter();
    table.string("client_key", 64).nullable().unique();
    table.json("outbound_request").nullable();
    table.string("failure_reason", 32).nullable();
    table
      .integer("sent_by_user_id")
      .unsigned()
      .nullable()
      .references("id")
      .inTable("users")
      .onDelete("SET NULL");
    table.integer("send_attempts").unsigned().notNullable().defaultTo(0);
    // The send job looks for earlier unsent messages of the same conversation (ordering).
    table.index(["conversation_id", "status"]);
  });

  await knex.schema.alterTable("message_media", (table) => {
    table.string("whatsapp_media_id", 128).nullable().alter();
  });

  await knex.schema.createTable("outbound_media", (table) => {
    table.engine("InnoDB");
    table.charset("utf8mb4");
    table.collate("utf8mb4_unicode_ci");
    table.increments("id").primary();
    table
      .integer("conversation_id")
      .unsigned()
      .notNullable()
      .references("id")
      .inTable("conversations")
      .onDelete("CASCADE");
    table.string("kind", 16).notNullable();
    table.string("mime_type", 255).notNullable();
    table.string("filename", 255).nullable();
    table.bigInteger("size_bytes").unsigned().notNullable();
    // Relative to MEDIA_DIR.
    table.string("path", 255).notNullable();
    table
      .integer("uploaded_by_user_id")
      .unsigned()
      .nullable()
      .references("id")
      .inTable("users")
      .onDelete("SET NULL");
    // Set once, when a message uses the file: a file is sent at most once.
    table
      .bigInteger("message_id")
      .unsigned()
      .nullable()
      .unique()
      .references("id")
      .inTable("messages")
      .onDelete("SET NULL");
    table.datetime("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("outbound_media");
  await knex.schema.alterTable("messages", (table) => {
    table.dropIndex(["conversation_id", "status"]);
    table.dropForeign(["sent_by_user_id"]);
    table.dropColumns(
      "client_key",
      "outbound_request",
      "failure_reason",
      "sent_by_user_id",
      "send_attempts",
    );
  });
}
