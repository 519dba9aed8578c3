import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../logger.js";
import { createTestDatabase, type TestDatabase } from "../test/support.js";
import { migrationSource, pendingMigrations, runMigrations } from "./index.js";

const logger = createLogger({ LOG_LEVEL: "silent", TENANT_ID: "test" });
const allMigrations = [
  "0001_users_and_activity_log",
  "0002_whatsapp_inbound",
  "0003_whatsapp_outbound",
  "0004_roles",
  "0005_activity_log_append_only",
  "0006_user_totp",
  "0007_contact_erasure",
  "0008_conversation_queue",
  "0009_inbox_collaboration",
  "0010_report_indexes",
];
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

describe("migrations", () => {
  it("reports every migration pending on an empty database without creating anything", async () => {
    expect(await pendingMigrations(database.db)).toEqual(allMigrations);
    expect(await database.db.schema.hasTable("knex_migrations")).toBe(false);
  });

  it("creates users and activity_log, then has nothing pending", async () => {
    expect(await runMigrations(database.db, logger)).toEqual(allMigrations);
    expect(await pendingMigrations(database.db)).toEqual([]);

    const users = await database.db("users").columnInfo();
    expect(Object.keys(users).sort()).toEqual(
      [
        "id",
        "email",
        "name",
        "role",
        "password_hash",
        "must_change_password",
        "disabled_at",
        "totp_secret_sealed",
        "totp_enabled_at",
        "created_at",
        "updated_at",
      ].sort(),
    );
    const activity = await database.db("activity_log").columnInfo();
    expect(Object.keys(activity).sort()).toEqual(
      ["id", "actor_user_id", "action", "ip", "user_agent", "data", "created_at"].sort(),
    );
  });

  it("is idempotent", async () => {
    expect(await runMigrations(database.db, logger)).toEqual([]);
  });

  it("enforces unique e-mails and that a user's role exists", async () => {
    const row = { name: "A", role: "agent", password_hash: "x" };
    await database.db("users").insert({ ...row, email: "dup@example.com" });
    await expect(
      database.db("users").insert({ ...row, email: "dup@example.com" }),
    ).rejects.toMatchObject({
      code: "ER_DUP_ENTRY",
    });
    await expect(
      database.db("users").insert({ ...row, email: "boss@example.com", role: "owner" }),
    ).rejects.toThrow();
  });

  it("rolls back cleanly", async () => {
    await database.db.migrate.rollback({ migrationSource }, true);
    expect(await database.db.schema.hasTable("users")).toBe(false);
    expect(await database.db.schema.hasTable("messages")).toBe(false);
    expect(await pendingMigrations(database.db)).toEqual(allMigrations);
  });
});
