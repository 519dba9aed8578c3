import type { Knex } from "knex";
import {
  type LookupKind,
  type PersonalData,
  type PersonalField,
  personalDataFor,
} from "../crypto/personalData.js";
import { storedEventSubject } from "../webhooks/whatsapp/inboxEvents.js";

/** Rows sealed (or opened) per round trip. */
const BATCH = 500;

/** A hex HMAC-SHA256; ASCII and binary collation, so lookups compare bytes. */
const HASH_TYPE = "CHAR(64) CHARACTER SET ascii COLLATE ascii_bin";

/** The plaintext columns and where their sealed value and lookup hash go. */
const IDENTIFIERS: ReadonlyArray<{
  column: "wa_id" | "whatsapp_user_id" | "username";
  field: PersonalField;
  hash?: { column: string; kind: LookupKind };
}> = [
  { column: "wa_id", field: "contacts.wa_id", hash: { column: "wa_id_hash", kind: "phone" } },
  {
    column: "whatsapp_user_id",
    field: "contacts.whatsapp_user_id",
    hash: { column: "whatsapp_user_id_hash", kind: "bsuid" },
  },
  { column: "username", field: "contacts.username" },
];

const EVENT_PAYLOAD: PersonalField = "whatsapp_inbox_events.payload";

/** Rewrites every webhook event's payload (and contact hash) in batches of upserts by id. */
async function rewriteEvents(
  knex: Knex,
  rewrite: (row: { kind: string; payload: string }) => {
    payload: string;
    contact_hash?: string | null;
  },
): Promise<void> {
  let after = 0;
  for (;;) {
    const rows = (await knex("whatsapp_inbox_events")
      .where("id", ">", after)
      .orderBy("id")
      .limit(BATCH)
      .select("id", "event_key", "kind", "payload")) as Array<{
      id: number;
      event_key: string;
      kind: string;
      payload: string | Record<string, unknown>;
    }>;
    if (rows.length === 0) break;
    const values = rows.map((row) => {
      const payload = typeof row.payload === "string" ? row.payload : JSON.stringify(row.payload);
      const next = rewrite({ kind: row.kind, payload });
      return [row.id, row.event_key, row.kind, next.payload, next.contact_hash ?? null];
    });
    await knex.raw(
      `INSERT INTO whatsapp_inbox_events (id, event_key, kind, payload, contact_hash)
       VALUES ${values.map(() => "(?, ?, ?, ?, ?)").join(", ")}
       ON DUPLICATE KEY UPDATE payload = VALUES(payload), contact_hash = VALUES(contact_hash)`,
      values.flat(),
    );
    after = rows[rows.length - 1]?.id ?? after;
  }
}

/** The keyed hash of whom a plaintext stored event is about. */
function eventContactHash(personal: PersonalData, kind: string, payload: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return null;
  }
  const subject = storedEventSubject(kind, parsed);
  return subject === null ? null : personal.lookupHash(subject.kind, subject.value);
}

/**
 * Contacts' identifiers (phone number, BSUID, username) encrypted at rest with the tenant's key
 * (crypto/personalData.ts): sealed columns replace the plaintext ones, and keyed hashes of the
 * phone number and BSUID take over their unique indexes, so the webhook still finds a contact
 * by number. Existing contacts are sealed here, then the plaintext columns are dropped. The raw
 * webhook events name customers too: their payloads are sealed (the column stops being JSON),
 * with `contact_hash` (whom the event is about) so an erasure still finds them. Needs
 * `ENCRYPTION_KEY`, hence a factory (see `migrations/index.ts`).
 */
export function contactIdentifiersSealed(encryptionKey: string): Knex.Migration {
  const personal = personalDataFor(encryptionKey);

  return {
    async up(knex: Knex): Promise<void> {
      await knex.schema.alterTable("contacts", (table) => {
        table.specificType("wa_id_hash", HASH_TYPE).nullable();
        table.text("wa_id_sealed").nullable();
        table.specificType("whatsapp_user_id_hash", HASH_TYPE).nullable();
        table.text("whatsapp_user_id_sealed").nullable();
        table.text("username_sealed").nullable();
      });

      // Two numbers spelt differently (`+55…`, `55…`) hash alike; the older contact keeps the
      // hash, the newer stays findable by id only rather than failing the upgrade.
      const taken = new Map<string, Set<string>>();
      let after = 0;
      for (;;) {
        const rows = (await knex("contacts")
          .where("id", ">", after)
          .orderBy("id")
          .limit(BATCH)
          .select("id", "wa_id", "whatsapp_user_id", "username")) as Array<
          { id: number } & Record<string, string | null>
        >;
        if (rows.length === 0) break;
        for (const row of rows) {
          const changes: Record<string, string | null> = {};
          for (const identifier of IDENTIFIERS) {
            const value = row[identifier.column] ?? null;
            if (value === null) continue;
            changes[`${identifier.column}_sealed`] = personal.seal(identifier.field, value);
            if (identifier.hash === undefined) continue;
            const hash = personal.lookupHash(identifier.hash.kind, value);
            const seen = taken.get(identifier.hash.column) ?? new Set<string>();
            taken.set(identifier.hash.column, seen);
            if (seen.has(hash)) continue;
            seen.add(hash);
            changes[identifier.hash.column] = hash;
          }
          if (Object.keys(changes).length > 0)
            await knex("contacts").where({ id: row.id }).update(changes);
        }
        after = rows[rows.length - 1]?.id ?? after;
      }

      await knex.schema.alterTable("contacts", (table) => {
        table.unique(["wa_id_hash"], { indexName: "contacts_wa_id_hash_unique" });
        table.unique(["whatsapp_user_id_hash"], {
          indexName: "contacts_whatsapp_user_id_hash_unique",
        });
        table.dropUnique(["wa_id"], "contacts_wa_id_unique");
        table.dropUnique(["whatsapp_user_id"], "contacts_whatsapp_user_id_unique");
      });
      await knex.schema.alterTable("contacts", (table) => {
        table.dropColumns("wa_id", "whatsapp_user_id", "username");
      });

      await knex.schema.alterTable("whatsapp_inbox_events", (table) => {
        table.specificType("contact_hash", HASH_TYPE).nullable();
        table.index(["contact_hash"], "whatsapp_inbox_events_contact_hash_index");
      });
      await knex.raw("ALTER TABLE whatsapp_inbox_events MODIFY payload LONGTEXT NOT NULL");
      await rewriteEvents(knex, ({ kind, payload }) => ({
        payload: personal.seal(EVENT_PAYLOAD, payload) ?? payload,
        contact_hash: eventContactHash(personal, kind, payload),
      }));
    },

    // Restores the plaintext columns with the same key (a different key fails loudly rather than
    // losing the numbers).
    async down(knex: Knex): Promise<void> {
      await rewriteEvents(knex, ({ payload }) => ({
        payload: personal.open(EVENT_PAYLOAD, payload) ?? payload,
      }));
      await knex.raw("ALTER TABLE whatsapp_inbox_events MODIFY payload JSON NOT NULL");
      await knex.schema.alterTable("whatsapp_inbox_events", (table) => {
        table.dropIndex(["contact_hash"], "whatsapp_inbox_events_contact_hash_index");
        table.dropColumn("contact_hash");
      });

      await knex.schema.alterTable("contacts", (table) => {
        table.string("whatsapp_user_id", 160).nullable();
        table.string("wa_id", 32).nullable();
        table.string("username", 255).nullable();
      });
      let after = 0;
      for (;;) {
        const rows = (await knex("contacts")
          .where("id", ">", after)
          .orderBy("id")
          .limit(BATCH)
          .select("id", "wa_id_sealed", "whatsapp_user_id_sealed", "username_sealed")) as Array<
          { id: number } & Record<string, string | null>
        >;
        if (rows.length === 0) break;
        for (const row of rows) {
          const changes: Record<string, string | null> = {};
          for (const identifier of IDENTIFIERS) {
            const sealed = row[`${identifier.column}_sealed`] ?? null;
            if (sealed !== null)
              changes[identifier.column] = personal.open(identifier.field, sealed);
          }
          if (Object.keys(changes).length > 0)
            await knex("contacts").where({ id: row.id }).update(changes);
        }
        after = rows[rows.length - 1]?.id ?? after;
      }
      await knex.schema.alterTable("contacts", (table) => {
        table.unique(["whatsapp_user_id"], { indexName: "contacts_whatsapp_user_id_unique" });
        table.unique(["wa_id"], { indexName: "contacts_wa_id_unique" });
        table.dropUnique(["wa_id_hash"], "contacts_wa_id_hash_unique");
        table.dropUnique(["whatsapp_user_id_hash"], "contacts_whatsapp_user_id_hash_unique");
      });
      await knex.schema.alterTable("contacts", (table) => {
        table.dropColumns(
          "wa_id_hash",
          "wa_id_sealed",
          "whatsapp_user_id_hash",
          "whatsapp_user_id_sealed",
          "username_sealed",
        );
      });
    },
  };
}
