import { mkdir } from "node:fs/promises";
import path from "node:path";
import knexFactory, { type Knex } from "knex";
import type { ControlPlaneConfig } from "../config.js";
import { AtendeError } from "../errors.js";
import { registryMigrations } from "./migrations.js";

/**
 * The control plane's desired state: tenants, operation journal, per-tenant locks. SQLite in
 * `$ATENDE_HOME/registry.sqlite` by default (an operator's machine needs nothing but Docker
 * and Node), or MySQL/MariaDB when ATENDE_STORE_URL is set (a shared control plane). Both go
 * through the same knex queries.
 */
export interface RegistryStore {
  db: Knex;
  kind: "sqlite" | "mysql";
  /** Human-readable location, for `atende doctor` (no password). */
  location: string;
  close(): Promise<void>;
}

/** Opens the registry, checks its integrity and brings its schema up to date. */
export async function openRegistryStore(
  config: Pick<ControlPlaneConfig, "ATENDE_HOME" | "ATENDE_STORE_URL">,
): Promise<RegistryStore> {
  const store = config.ATENDE_STORE_URL
    ? openMysql(config.ATENDE_STORE_URL)
    : await openSqlite(config.ATENDE_HOME);
  try {
    if (store.kind === "sqlite") await checkSqliteIntegrity(store);
    await store.db.migrate.latest({
      migrationSource: registryMigrations,
      tableName: "registry_migrations",
    });
  } catch (error) {
    await store.close();
    if (error instanceof AtendeError) throw error;
    throw new AtendeError(
      "store_unavailable",
      `The tenant registry at ${store.location} cannot be opened: ${(error as Error).message}.`,
      {
        hint:
          store.kind === "mysql"
            ? "Check ATENDE_STORE_URL and that the database server answers."
            : "Check that $ATENDE_HOME is writable.",
        cause: error,
      },
    );
  }
  return store;
}

async function openSqlite(home: string): Promise<RegistryStore> {
  await mkdir(home, { recursive: true, mode: 0o700 });
  const filename = path.join(home, "registry.sqlite");
  const db = knexFactory({
    client: "better-sqlite3",
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (
        connection: { pragma(statement: string): unknown },
        done: (error: Error | null) => void,
      ) => {
        // WAL lets the CLI read while the API server writes; busy_timeout waits out short locks
        // instead of failing at once when two processes write.
        connection.pragma("journal_mode = WAL");
        connection.pragma("busy_timeout = 5000");
        connection.pragma("foreign_keys = ON");
        done(null);
      },
    },
  });
  return { db, kind: "sqlite", location: filename, close: () => db.destroy() };
}

function openMysql(url: string): RegistryStore {
  const parsed = new URL(url);
  const db = knexFactory({
    client: "mysql2",
    connection: {
      host: parsed.hostname,
      port: Number(parsed.port || 3306),
      user: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
      database: parsed.pathname.replace(/^\//, ""),
      supportBigNumbers: true,
      bigNumberStrings: false,
    },
    pool: { min: 0, max: 4 },
  });
  const location = `mysql://${parsed.hostname}:${parsed.port || 3306}${parsed.pathname}`;
  return { db, kind: "mysql", location, close: () => db.destroy() };
}

// Refuse to work on a damaged registry rather than make it worse (operations.md §1).
async function checkSqliteIntegrity(store: RegistryStore): Promise<void> {
  let rows: Array<{ integrity_check?: string }>;
  try {
    rows = (await store.db.raw("PRAGMA integrity_check")) as Array<{ integrity_check?: string }>;
  } catch (error) {
    throw new AtendeError(
      "store_corrupt",
      `The tenant registry ${store.location} is damaged: ${(error as Error).message}.`,
      {
        hint: "Restore it from your backup of $ATENDE_HOME; `atende doctor` lists tenants still running in Docker.",
        cause: error,
      },
    );
  }
  const verdict = rows.map((row) => row.integrity_check).join("; ");
  if (verdict !== "ok") {
    throw new AtendeError(
      "store_corrupt",
      `The tenant registry ${store.location} failed its integrity check: ${verdict}.`,
      {
        hint: "Restore it from your backup of $ATENDE_HOME; `atende doctor` lists tenants still running in Docker.",
      },
    );
  }
}
