import type { Knex } from "knex";
import { userRoles } from "../../contracts/api.js";

/** Users who sign in to the inbox, and the audit trail of what they (and the system) did. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("users", (table) => {
    table.engine("InnoDB");
    table.charset("utf8mb4");
    table.collate("utf8mb4_unicode_ci");
    table.increments("id").primary();
    // 254 is the longest address SMTP allows; stored lower-cased, so unique means unique.
    table.string("email", 254).notNullable().unique();
    table.string("name", 120).notNullable();
    table.enu("role", [...userRoles]).notNullable();
    table.string("password_hash", 255).notNullable();
    table.boolean("must_change_password").notNullable().defaultTo(false);
    table.datetime("disabled_at", { precision: 3 }).nullable();
    table.datetime("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    table
      .datetime("updated_at", { precision: 3 })
      .notNullable()
      .defaultTo(knex.raw("CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)"));
  });

  await knex.schema.createTable("activity_log", (table) => {
    table.engine("InnoDB");
    table.charset("utf8mb4");
    table.collate("utf8mb4_unicode_ci");
    table.bigIncrements("id").primary();
    // Null for the system, the control plane's one-off commands and failed logins.
    table
      .integer("actor_user_id")
      .unsigned()
      .nullable()
      .references("id")
      .inTable("users")
      .onDelete("SET NULL");
    table.string("action", 64).notNullable();
    table.string("ip", 45).nullable();
    table.string("user_agent", 512).nullable();
    table.json("data").nullable();
    table.datetime("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    table.index(["action", "created_at"]);
    table.index(["created_at"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("activity_log");
  await knex.schema.dropTable("users");
}
