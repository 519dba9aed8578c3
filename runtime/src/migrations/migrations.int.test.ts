import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { personalDataFor } from "../crypto/personalData.js";
import { createLogger } from "../logger.js";
import { createTestDatabase, type TestDatabase } from "../test/support.js";
import { createMigrationSource, pendingMigrations, runMigrations } from "./index.js";

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
  "0011_contact_identifiers_sealed",
];
const context = { encryptionKey: randomBytes(32).toString("base64") };
const migrationSource = createMigrationSource(context);
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
    expect(await runMigrations(database.db, logger, context)).toEqual(allMigrations);
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
    expect(await runMigrations(database.db, logger, context)).toEqual([]);
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

describe("sealing contacts' identifiers (0011)", () => {
  let upgraded: TestDatabase;

  beforeAll(async () => {
    upgraded = await createTestDatabase();
  });

  afterAll(async () => {
    await upgraded?.drop();
  });

  /** The schema as a tenant had it before 0011. */
  const before0011 = {
    ...migrationSource,
    getMigrations: async () =>
      (await migrationSource.getMigrations([])).filter(
        (entry) => entry.name < "0011_contact_identifiers_sealed",
      ),
  };

  /** Every value of contacts and webhook events, as one string. */
  const contactsDump = async () =>
    JSON.stringify([
      await upgraded.db("contacts").orderBy("id").select(),
      await upgraded.db("whatsapp_inbox_events").orderBy("id").select(),
    ]);

  const events = [
    {
      event_key: "m:wamid.UP1",
      kind: "message",
      payload: JSON.stringify({
        metadata: {},
        contact: { wa_id: "5511987650001", user_id: "BR.UPGRADE1", profile: { name: "Ana" } },
        message: { id: "wamid.UP1", from: "5511987650001", type: "text", text: { body: "oi" } },
      }),
    },
    {
      event_key: "s:wamid.UP2:delivered",
      kind: "status",
      payload: JSON.stringify({
        metadata: {},
        status: { id: "wamid.UP2", status: "delivered", recipient_id: "5511987650002" },
      }),
    },
    {
      event_key: "o#other",
      kind: "other",
      payload: JSON.stringify({ field: "account_update", wabaId: null, value: {} }),
    },
  ];

  it("seals an upgraded tenant's plaintext contacts, keeps them findable, and rolls back", async () => {
    const { db } = upgraded;
    await db.migrate.latest({ migrationSource: before0011 });
    await db("contacts").insert([
      { wa_id: "5511987650001", whatsapp_user_id: "BR.UPGRADE1", name: "Ana", username: "@ana" },
      { wa_id: "5511987650002", whatsapp_user_id: null, name: "Bia", username: null },
      { wa_id: null, whatsapp_user_id: "BR.UPGRADE3", name: "Caio", username: "@caio" },
    ]);
    await db("whatsapp_inbox_events").insert(events);

    expect(await runMigrations(db, logger, context)).toEqual(["0011_contact_identifiers_sealed"]);

    const columns = Object.keys(await db("contacts").columnInfo());
    expect(columns).not.toContain("wa_id");
    expect(columns).not.toContain("whatsapp_user_id");
    expect(columns).not.toContain("username");
    const dump = await contactsDump();
    for (const plaintext of ["5511987650001", "5511987650002", "BR.UPGRADE1", "BR.UPGRADE3"]) {
      expect(dump).not.toContain(plaintext);
    }
    expect(dump).not.toContain("@ana");
    expect(dump).not.toContain("@caio");

    // Found by keyed hash, opened with the tenant's key.
    const personal = personalDataFor(context.encryptionKey);
    const ana = await db("contacts")
      .where("wa_id_hash", personal.lookupHash("phone", "+55 11 98765-0001"))
      .first();
    expect(ana.name).toBe("Ana");
    expect(personal.open("contacts.wa_id", ana.wa_id_sealed)).toBe("5511987650001");
    expect(personal.open("contacts.whatsapp_user_id", ana.whatsapp_user_id_sealed)).toBe(
      "BR.UPGRADE1",
    );
    expect(personal.open("contacts.username", ana.username_sealed)).toBe("@ana");
    const caio = await db("contacts")
      .where("whatsapp_user_id_hash", personal.lookupHash("bsuid", "BR.UPGRADE3"))
      .first();
    expect(caio).toMatchObject({ name: "Caio", wa_id_hash: null, wa_id_sealed: null });
    // Another key opens nothing.
    const stranger = personalDataFor(randomBytes(32).toString("base64"));
    expect(() => stranger.open("contacts.wa_id", ana.wa_id_sealed)).toThrow();

    // Webhook events: sealed, and findable by whom they are about.
    const stored = await db("whatsapp_inbox_events").orderBy("id").select();
    expect(
      stored.map((event) => personal.open("whatsapp_inbox_events.payload", event.payload)),
    ).toEqual(events.map((event) => event.payload));
    expect(stored.map((event) => event.contact_hash)).toEqual([
      personal.lookupHash("phone", "5511987650001"),
      personal.lookupHash("phone", "5511987650002"),
      null,
    ]);

    // The hash is unique, as the plaintext was.
    await expect(
      db("contacts").insert({ wa_id_hash: ana.wa_id_hash, name: "Duplicate" }),
    ).rejects.toMatchObject({ code: "ER_DUP_ENTRY" });

    // Rolling back with the same key restores the numbers in clear.
    await db.migrate.down({ migrationSource });
    expect(
      await db("contacts").orderBy("id").select("wa_id", "whatsapp_user_id", "username"),
    ).toEqual([
      { wa_id: "5511987650001", whatsapp_user_id: "BR.UPGRADE1", username: "@ana" },
      { wa_id: "5511987650002", whatsapp_user_id: null, username: null },
      { wa_id: null, whatsapp_user_id: "BR.UPGRADE3", username: "@caio" },
    ]);
    const restored = await db("whatsapp_inbox_events").orderBy("id").pluck("payload");
    expect(
      restored.map((payload: unknown) =>
        typeof payload === "string" ? JSON.parse(payload) : payload,
      ),
    ).toEqual(events.map((event) => JSON.parse(event.payload)));
  });
});
