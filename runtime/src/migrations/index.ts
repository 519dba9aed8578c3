import type { Knex } from "knex";
import { componentLogger, type Logger } from "../logger.js";
import * as usersAndActivityLog from "./0001_users_and_activity_log.js";
import * as whatsappInbound from "./0002_whatsapp_inbound.js";
import * as whatsappOutbound from "./0003_whatsapp_outbound.js";
import * as roles from "./0004_roles.js";
import * as activityLogAppendOnly from "./0005_activity_log_append_only.js";
import * as userTotp from "./0006_user_totp.js";
import * as contactErasure from "./0007_contact_erasure.js";
import * as conversationQueue from "./0008_conversation_queue.js";
import * as inboxCollaboration from "./0009_inbox_collaboration.js";
import * as reportIndexes from "./0010_report_indexes.js";
import { contactIdentifiersSealed } from "./0011_contact_identifiers_sealed.js";

/** Name of knex's bookkeeping table. */
const MIGRATIONS_TABLE = "knex_migrations";

/** What some migrations need beyond the database: the tenant's key, to seal existing rows. */
export interface MigrationContext {
  /** `ENCRYPTION_KEY` (base64 of 32 bytes). */
  encryptionKey: string;
}

interface MigrationEntry {
  name: string;
  migration: (context: MigrationContext) => Knex.Migration;
}

const plain = (migration: Knex.Migration) => () => migration;

/**
 * Every migration, in order. Listed by import rather than found by scanning a directory,
 * because the runtime ships as one esbuild bundle with no migration files beside it.
 * Append new migrations; never rename or reorder applied ones.
 */
const migrations: ReadonlyArray<MigrationEntry> = [
  { name: "0001_users_and_activity_log", migration: plain(usersAndActivityLog) },
  { name: "0002_whatsapp_inbound", migration: plain(whatsappInbound) },
  { name: "0003_whatsapp_outbound", migration: plain(whatsappOutbound) },
  { name: "0004_roles", migration: plain(roles) },
  { name: "0005_activity_log_append_only", migration: plain(activityLogAppendOnly) },
  { name: "0006_user_totp", migration: plain(userTotp) },
  { name: "0007_contact_erasure", migration: plain(contactErasure) },
  { name: "0008_conversation_queue", migration: plain(conversationQueue) },
  { name: "0009_inbox_collaboration", migration: plain(inboxCollaboration) },
  { name: "0010_report_indexes", migration: plain(reportIndexes) },
  {
    name: "0011_contact_identifiers_sealed",
    migration: (context) => contactIdentifiersSealed(context.encryptionKey),
  },
];

/** knex `migrationSource` over the imported list above, with what migrations need. */
export function createMigrationSource(
  context: MigrationContext,
): Knex.MigrationSource<MigrationEntry> {
  return {
    getMigrations: async () => [...migrations],
    getMigrationName: (entry) => entry.name,
    getMigration: async (entry) => entry.migration(context),
  };
}

/**
 * Applies every pending migration (knex's lock table makes concurrent runs safe).
 * @returns the names of the migrations applied now
 */
export async function runMigrations(
  db: Knex,
  logger: Logger,
  context: MigrationContext,
): Promise<string[]> {
  const log = componentLogger(logger, "migrations");
  const [, applied] = (await db.migrate.latest({
    migrationSource: createMigrationSource(context),
    tableName: MIGRATIONS_TABLE,
  })) as [number, string[]];
  if (applied.length > 0) log.info({ applied }, "migrations applied");
  else log.info("schema up to date");
  return applied;
}

/**
 * Names of migrations not yet applied. Read-only (unlike `knex.migrate.list`, it never creates
 * the bookkeeping tables), so readiness probes can call it.
 */
export async function pendingMigrations(db: Knex): Promise<string[]> {
  const all = migrations.map((entry) => entry.name);
  if (!(await db.schema.hasTable(MIGRATIONS_TABLE))) return all;
  const rows: Array<{ name: string }> = await db(MIGRATIONS_TABLE).select("name");
  const applied = new Set(rows.map((row) => row.name));
  return all.filter((name) => !applied.has(name));
}
