import type { Knex } from "knex";

/**
 * Custom roles. The built-in admin, manager and agent get rows too (so `users.role` can refer to
 * every role with a foreign key), but their permissions live in code (contracts/permissions.ts),
 * so a permission added by a later release reaches them without a data migration.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("roles", (table) => {
    table.engine("InnoDB");
    table.charset("utf8mb4");
    table.collate("utf8mb4_unicode_ci");
    table.string("key", 40).primary();
    table.string("name", 80).notNullable();
    table.boolean("builtin").notNullable().defaultTo(false);
    // Custom roles only; ignored for built-in ones.
    table.json("permissions").notNullable();
    table.datetime("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    table
      .datetime("updated_at", { precision: 3 })
      .notNullable()
      .defaultTo(knex.raw("CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)"));
  });
  await knex("roles").insert(
    [
      ["admin", "Administrator"],
      ["manager", "Manager"],
      ["agent", "Agent"],
    ].map(([key, name]) => ({ key, name, builtin: true, permissions: "[]" })),
  );
  await knex.raw("ALTER TABLE users MODIFY role VARCHAR(40) NOT NULL");
  await knex.schema.alterTable("users", (table) => {
    table
      .foreign("role")
      .references("key")
      .inTable("roles")
      .onUpdate("CASCADE")
      .onDelete("RESTRICT");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("users", (table) => table.dropForeign("role"));
  await knex.raw("UPDATE users SET role = 'agent' WHERE role NOT IN ('admin', 'manager', 'agent')");
  await knex.raw("ALTER TABLE users MODIFY role ENUM('admin', 'manager', 'agent') NOT NULL");
  await knex.schema.dropTable("roles");
}
