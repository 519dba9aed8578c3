import type { Knex } from "knex";

/** Options every table shares: InnoDB, utf8mb4 (emoji and every script survive). */
function tableDefaults(table: Knex.CreateTableBuilder): void {
  table.engine("InnoDB");
  table.charset("utf8mb4");
  table.collate("utf8mb4_unicode_ci");
}

/**
 * The inbound half of the WhatsApp channel: the tenant's channel settings (secrets sealed with
 * `ENCRYPTION_KEY`), the durable webhook inbox, contacts, conversations, messages with their
 * media and delivery statuses, and message templates.
 */
export async function up(knex: Knex): Promise<void> {
  // One row (id = 1): a tenant has one WhatsApp business number.
  await knex.schema.createTable("whatsapp_settings", (table) => {
    tableDefaults(table);
    table.tinyint("id").unsigned().primary();
    table.string("phone_number_id", 32).notNullable();
    table.string("waba_id", 32).notNullable();
    table.string("graph_api_base_url", 255).notNullable();
    table.string("graph_api_version", 16).notNullable();
    // Sealed by crypto/fieldCipher.ts; null until first saved.
    table.text("access_token_sealed").nullable();
    table.text("app_secret_sealed").nullable();
    table.text("verify_token_sealed").nullable();
    table
      .integer("updated_by_user_id")
      .unsigned()
      .nullable()
      .references("id")
      .inTable("users")
      .onDelete("SET NULL");
    table
      .datetime("updated_at", { precision: 3 })
      .notNullable()
      .defaultTo(knex.raw("CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)"));
  });

  // The durability point of the webhook (operations.md §5.1): one row per message, status,
  // template update or other event, committed before the 200. `event_key` makes Meta's
  // duplicate deliveries no-ops (INSERT IGNORE).
  await knex.schema.createTable("whatsapp_inbox_events", (table) => {
    tableDefaults(table);
    table.bigIncrements("id").primary();
    table.string("event_key", 191).notNullable().unique();
    table.enu("kind", ["message", "status", "template", "other"]).notNullable();
    table.json("payload").notNullable();
    table.datetime("received_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    table.datetime("processed_at", { precision: 3 }).nullable();
    table.integer("attempts").unsigned().notNullable().defaultTo(0);
    table.string("last_error", 500).nullable();
    table.index(["processed_at", "received_at"]);
  });

  // Keyed by the business-scoped user id (BSUID) first, the phone number (wa_id) as fallback
  // (protocols.md A9); both unique when present.
  await knex.schema.createTable("contacts", (table) => {
    tableDefaults(table);
    table.increments("id").primary();
    table.string("whatsapp_user_id", 160).nullable().unique();
    table.string("wa_id", 32).nullable().unique();
    table.string("name", 255).nullable();
    table.string("username", 255).nullable();
    table.datetime("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    table
      .datetime("updated_at", { precision: 3 })
      .notNullable()
      .defaultTo(knex.raw("CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)"));
  });

  await knex.schema.createTable("conversations", (table) => {
    tableDefaults(table);
    table.increments("id").primary();
    table
      .integer("contact_id")
      .unsigned()
      .notNullable()
      .references("id")
      .inTable("contacts")
      .onDelete("CASCADE");
    table.enu("status", ["open", "resolved"]).notNullable().defaultTo("open");
    table.datetime("opened_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    table.datetime("resolved_at", { precision: 3 }).nullable();
    table.datetime("last_message_at", { precision: 3 }).nullable();
    // Opens the 24-hour customer service window (A7).
    table.datetime("last_inbound_at", { precision: 3 }).nullable();
    table.datetime("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    table
      .datetime("updated_at", { precision: 3 })
      .notNullable()
      .defaultTo(knex.raw("CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)"));
    table.index(["contact_id", "id"]);
    table.index(["status", "last_message_at"]);
  });

  await knex.schema.createTable("messages", (table) => {
    tableDefaults(table);
    table.bigIncrements("id").primary();
    table
      .integer("conversation_id")
      .unsigned()
      .notNullable()
      .references("id")
      .inTable("conversations")
      .onDelete("CASCADE");
    table.enu("direction", ["inbound", "outbound"]).notNullable();
    // Meta's message id; unique, so a message is stored once whatever happens.
    table.string("wamid", 191).notNullable().unique();
    table.string("type", 32).notNullable();
    // Render-ready content (contracts/messages.ts `MessageContent`).
    table.json("content").notNullable();
    // Body or caption, for previews and search.
    table.text("text").nullable();
    table.string("reply_to_wamid", 191).nullable();
    table.string("status", 16).nullable();
    table.tinyint("status_rank").unsigned().notNullable().defaultTo(0);
    table.integer("error_code").nullable();
    table.string("error_title", 255).nullable();
    table.text("error_details").nullable();
    // When WhatsApp says it happened (`timestamp` of the webhook).
    table.datetime("sent_at", { precision: 3 }).notNullable();
    table.datetime("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    table
      .datetime("updated_at", { precision: 3 })
      .notNullable()
      .defaultTo(knex.raw("CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)"));
    table.index(["conversation_id", "id"]);
  });

  // Statuses may arrive before the message they report on is stored (A3.3): keep the best one
  // per wamid, never downgraded, and apply it to `messages` whenever the message exists.
  await knex.schema.createTable("message_statuses", (table) => {
    tableDefaults(table);
    table.string("wamid", 191).primary();
    table.string("status", 16).notNullable();
    table.tinyint("status_rank").unsigned().notNullable();
    table.datetime("status_at", { precision: 3 }).notNullable();
    table.integer("error_code").nullable();
    table.string("error_title", 255).nullable();
    table.text("error_details").nullable();
    table
      .datetime("updated_at", { precision: 3 })
      .notNullable()
      .defaultTo(knex.raw("CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)"));
  });

  await knex.schema.createTable("message_media", (table) => {
    tableDefaults(table);
    table
      .bigInteger("message_id")
      .unsigned()
      .primary()
      .references("id")
      .inTable("messages")
      .onDelete("CASCADE");
    table.string("whatsapp_media_id", 128).notNullable();
    table.string("kind", 16).notNullable();
    table.string("mime_type", 255).nullable();
    table.string("sha256", 128).nullable();
    table.string("filename", 255).nullable();
    table.enu("status", ["pending", "ready", "failed"]).notNullable().defaultTo("pending");
    table.bigInteger("size_bytes").unsigned().nullable();
    // Relative to MEDIA_DIR.
    table.string("path", 255).nullable();
    table.string("error", 500).nullable();
    table.integer("attempts").unsigned().notNullable().defaultTo(0);
    table
      .datetime("updated_at", { precision: 3 })
      .notNullable()
      .defaultTo(knex.raw("CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)"));
  });

  await knex.schema.createTable("message_templates", (table) => {
    tableDefaults(table);
    table.increments("id").primary();
    // A number in webhooks, a string in the REST API (A6): stored as a string.
    table.string("whatsapp_template_id", 64).notNullable().unique();
    table.string("name", 512).notNullable();
    table.string("language", 16).notNullable();
    table.string("category", 32).nullable();
    table.string("status", 32).notNullable();
    table.string("reason", 255).nullable();
    table.json("components").nullable();
    table.datetime("status_updated_at", { precision: 3 }).nullable();
    table.datetime("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    table
      .datetime("updated_at", { precision: 3 })
      .notNullable()
      .defaultTo(knex.raw("CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)"));
    table.index(["name", "language"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    "message_templates",
    "message_media",
    "message_statuses",
    "messages",
    "conversations",
    "contacts",
    "whatsapp_inbox_events",
    "whatsapp_settings",
  ]) {
    await knex.schema.dropTable(table);
  }
}
