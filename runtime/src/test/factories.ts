import { randomBytes } from "node:crypto";
import type { Knex } from "knex";
import type { UserRole } from "../../contracts/api.js";
import { hashPassword } from "../auth/passwords.js";
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

/**
 * Inserts a contact and an open conversation with one outbound message (as the send path will
 * store it), for status tests.
 */
export async function buildOutboundMessage(
  db: Knex,
  overrides: { wamid?: string; waId?: string } = {},
): Promise<{ messageId: number; conversationId: number; contactId: number; wamid: string }> {
  const waId = overrides.waId ?? `55119${Math.floor(Math.random() * 1e8)}`;
  const [contactId] = await db("contacts").insert({ wa_id: waId, name: "Cliente Teste" });
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
