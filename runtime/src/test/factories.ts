import { randomBytes } from "node:crypto";
import type { Knex } from "knex";
import type { UserRole } from "../../contracts/api.js";
import { hashPassword } from "../auth/passwords.js";
import { personalDataFor } from "../crypto/personalData.js";
import type { Env } from "../env.js";
import { User } from "../models/User.js";

/** A user plus the plain password it was created with. */
export interface BuiltUser {
  user: User;
  password: string;
}

/**
 * Inserts a user with a known password. Every field has a unique default, so tests create their
 * own data without colliding.
 */
export async function buildUser(
  db: Knex,
  overrides: {
    email?: string;
    name?: string;
    /** A built-in role or the key of a custom one. */
    role?: UserRole | (string & {});
    password?: string;
    disabledAt?: Date;
  } = {},
): Promise<BuiltUser> {
  const password = overrides.password ?? `pw-${randomBytes(8).toString("hex")}`;
  const user = await User.query(db).insertAndFetch({
    email: overrides.email ?? `agent-${randomBytes(4).toString("hex")}@example.com`,
    name: overrides.name ?? "Agent Test",
    role: overrides.role ?? "agent",
    passwordHash: await hashPassword(password),
    mustChangePassword: false,
    disabledAt: overrides.disabledAt ?? null,
  });
  return { user, password };
}

/** What the tests say about a contact; identifiers in clear (they are sealed on insert). */
export interface ContactFixture {
  waId?: string | null;
  whatsappUserId?: string | null;
  username?: string | null;
  name?: string | null;
}

/** The key tests seal and hash with: the tenant's, as the runtime uses it. */
type KeyEnv = Pick<Env, "ENCRYPTION_KEY">;

/**
 * A contact's identifier columns as the webhook stores them (sealed, with lookup hashes), for
 * tests that insert rows themselves (several at once, or with other columns).
 */
export function contactColumns(env: KeyEnv, contact: ContactFixture): Record<string, unknown> {
  const personal = personalDataFor(env.ENCRYPTION_KEY);
  const waId = contact.waId ?? null;
  const userId = contact.whatsappUserId ?? null;
  return {
    wa_id_hash: waId === null ? null : personal.lookupHash("phone", waId),
    wa_id_sealed: personal.seal("contacts.wa_id", waId),
    whatsapp_user_id_hash: userId === null ? null : personal.lookupHash("bsuid", userId),
    whatsapp_user_id_sealed: personal.seal("contacts.whatsapp_user_id", userId),
    username_sealed: personal.seal("contacts.username", contact.username ?? null),
    name: contact.name ?? null,
  };
}

/**
 * Inserts a contact (identifiers sealed and hashed like the webhook stores them).
 * @param extra other columns (e.g. `consent_status`)
 * @returns its id
 */
export async function insertContact(
  db: Knex,
  env: KeyEnv,
  contact: ContactFixture,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const [id] = await db("contacts").insert({ ...contactColumns(env, contact), ...extra });
  if (id === undefined) throw new Error("contact fixture not stored");
  return id;
}

/** The lookup hash of a phone number: what tests filter `contacts.wa_id_hash` by. */
export function phoneHash(env: KeyEnv, waId: string): string {
  return personalDataFor(env.ENCRYPTION_KEY).lookupHash("phone", waId);
}

/** The lookup hash of a BSUID: what tests filter `contacts.whatsapp_user_id_hash` by. */
export function bsuidHash(env: KeyEnv, whatsappUserId: string): string {
  return personalDataFor(env.ENCRYPTION_KEY).lookupHash("bsuid", whatsappUserId);
}

/** A stored contact with its identifiers opened. */
export interface OpenedContact {
  id: number;
  name: string | null;
  waId: string | null;
  whatsappUserId: string | null;
  username: string | null;
  row: Record<string, unknown>;
}

/** The contact with this phone number or BSUID (found by hash, as the webhook finds it), opened. */
export async function findContact(
  db: Knex,
  env: KeyEnv,
  by: { waId: string } | { whatsappUserId: string },
): Promise<OpenedContact | undefined> {
  const row = (await db("contacts")
    .where(
      "waId" in by
        ? { wa_id_hash: phoneHash(env, by.waId) }
        : { whatsapp_user_id_hash: bsuidHash(env, by.whatsappUserId) },
    )
    .first()) as Record<string, unknown> | undefined;
  if (row === undefined) return undefined;
  const personal = personalDataFor(env.ENCRYPTION_KEY);
  const open = (field: Parameters<typeof personal.open>[0], column: string) =>
    personal.open(field, (row[column] as string | null | undefined) ?? null);
  return {
    id: row.id as number,
    name: (row.name as string | null) ?? null,
    waId: open("contacts.wa_id", "wa_id_sealed"),
    whatsappUserId: open("contacts.whatsapp_user_id", "whatsapp_user_id_sealed"),
    username: open("contacts.username", "username_sealed"),
    row,
  };
}

/**
 * Inserts a contact and an open conversation with one outbound message (as the send path will
 * store it), for status tests.
 */
export async function buildOutboundMessage(
  db: Knex,
  env: KeyEnv,
  overrides: { wamid?: string; waId?: string } = {},
): Promise<{ messageId: number; conversationId: number; contactId: number; wamid: string }> {
  const waId = overrides.waId ?? `55119${Math.floor(Math.random() * 1e8)}`;
  const contactId = await insertContact(db, env, { waId, name: "Cliente Teste" });
  const [conversationId] = await db("conversations").insert({
    contact_id: contactId,
    status: "open",
  });
  const wamid = overrides.wamid ?? `wamid.OUT${randomBytes(10).toString("hex")}`;
  const [messageId] = await db("messages").insert({
    conversation_id: conversationId,
    direction: "outbound",
    wamid,
    type: "text",
    content: JSON.stringify({ type: "text", body: "Seu pedido saiu" }),
    text: "Seu pedido saiu",
    status: "accepted",
    status_rank: 1,
    sent_at: new Date(),
  });
  if (contactId === undefined || conversationId === undefined || messageId === undefined) {
    throw new Error("outbound message fixture not stored");
  }
  return { messageId, conversationId, contactId, wamid };
}
