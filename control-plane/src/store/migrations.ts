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
  {
    name: "0002_backups",
    async up(db) {
      // The backup catalogue: retention deletes only what is listed here (ADR 0004).
      await db.schema.createTable("backups", (table) => {
        table.string("id", 64).primary();
        table.string("tenant", 63).notNullable().index();
        table.string("kind", 16).notNullable();
        table.string("status", 16).notNullable();
        table.string("path", 1024).notNullable();
        table.bigInteger("plain_bytes");
        table.bigInteger("stored_bytes");
        table.string("manifest_sha256", 64);
        table.string("operation_id", 36);
        table.string("error_id", 64);
        table.text("error_message");
        table.bigInteger("created_at").notNullable();
        table.bigInteger("finished_at");
        table.bigInteger("verified_at");
        table.string("verify_status", 16);
        table.text("verify_detail");
      });
    },
    async down(db) {
      await db.schema.dropTable("backups");
    },
  },
  {
    name: "0003_staff",
    async up(db) {
      // Staff of the control-plane API and dashboard (roles viewer < operator < owner).
      await db.schema.createTable("staff_users", (table) => {
        table.increments("id").primary();
        table.string("email", 254).notNullable().unique();
        table.string("password_hash", 255).notNullable();
        table.string("role", 16).notNullable();
        table.boolean("disabled").notNullable().defaultTo(false);
        table.bigInteger("created_at").notNullable();
        table.bigInteger("updated_at").notNullable();
      });
      // Server-side sessions: only the SHA-256 of the cookie's token is stored.
      await db.schema.createTable("staff_sessions", (table) => {
        table.string("token_hash", 64).primary();
        table.integer("staff_id").notNullable().index();
        table.bigInteger("created_at").notNullable();
        table.bigInteger("last_seen_at").notNullable();
        table.bigInteger("expires_at").notNullable();
      });
      // Append-only from the application: rows are inserted, never updated or deleted.
      await db.schema.createTable("staff_audit_log", (table) => {
        table.increments("id").primary();
        table.bigInteger("occurred_at").notNullable().index();
        table.integer("staff_id");
        table.string("staff_email", 254);
        table.string("ip", 64);
        table.string("user_agent", 512);
        table.string("action", 64).notNullable();
        table.string("target", 255);
        table.string("outcome", 64).notNullable();
        table.text("detail");
      });
    },
    async down(db) {
      await db.schema.dropTable("staff_audit_log");
      await db.schema.dropTable("staff_sessions");
      await db.schema.dropTable("staff_users");
    },
  },
  {
    name: "0004_tenant_config",
    async up(db) {
      // Settings of `atende tenant config`: JSON, secret values sealed with the master key.
      await db.schema.alterTable("tenants", (table) => {
        table.text("config").nullable();
      });
    },
    async down(db) {
      await db.schema.alterTable("tenants", (table) => {
        table.dropColumn("config");
      });
    },
  },
  {
    name: "0005_backup_offsite_copies",
    async up(db) {
      // Where the off-site (S3-compatible) copy of a backup is and whether it arrived (ADR 0006).
      await db.schema.alterTable("backups", (table) => {
        table.string("remote_location", 1024).nullable();
        table.string("remote_status", 16).nullable();
        table.text("remote_error").nullable();
        table.bigInteger("remote_at").nullable();
      });
    },
    async down(db) {
      await db.schema.alterTable("backups", (table) => {
        table.dropColumn("remote_at");
        table.dropColumn("remote_error");
        table.dropColumn("remote_status");
        table.dropColumn("remote_location");
      });
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
