import type { Knex } from "knex";

interface Migration {
  name: string;
  up(db: Knex): Promise<void>;
  down(db: Knex): Promise<void>;
}

const migrations: Migration[] = [
  {
    name: "0001_registry",
    async up(db) {
      await db.schema.createTable("tenants", (table) => {
        table.string("name", 63).primary();
        table.string("status", 16).notNullable();
        table.string("template_id", 64).notNullable();
        table.integer("template_version").notNullable();
        table.string("app_version", 32).notNullable();
        table.text("images").notNullable();
        table.string("publish_host", 64).notNullable();
        table.integer("host_port").notNullable().unique();
        table.string("url", 255).notNullable();
        table.string("admin_email", 254).notNullable();
        // Generated secrets, sealed with the master key (SecretBox), tenant name as context.
        table.text("secrets").notNullable();
        table.string("last_operation_id", 36);
        table.bigInteger("created_at").notNullable();
        table.bigInteger("updated_at").notNullable();
      });
      await db.schema.createTable("operations", (table) => {
        table.string("id", 36).primary();
        table.string("tenant", 63).notNullable().index();
        table.string("kind", 32).notNullable();
        table.string("status", 16).notNullable();
        table.text("steps").notNullable();
        table.string("error_id", 64);
        table.text("error_message");
        table.string("owner", 255).notNullable();
        table.bigInteger("started_at").notNullable();
        table.bigInteger("finished_at");
      });
      await db.schema.createTable("tenant_locks", (table) => {
        table.string("tenant", 63).primary();
        table.string("operation_id", 36).notNullable();
        table.string("operation_kind", 32).notNullable();
        table.string("host", 255).notNullable();
        table.integer("pid").notNullable();
        table.bigInteger("acquired_at").notNullable();
        table.bigInteger("expires_at").notNullable();
      });
    },
    async down(db) {
      await db.schema.dropTable("tenant_locks");
      await db.schema.dropTable("operations");
      await db.schema.dropTable("tenants");
    },
  },
];

/**
 * Migrations listed in code rather than read from a directory, so they work the same from
 * source, from a bundle and from any working directory.
 */
export const registryMigrations: Knex.MigrationSource<Migration> = {
  getMigrations: async () => migrations,
  getMigrationName: (migration) => migration.name,
  getMigration: async (migration) => migration,
};
