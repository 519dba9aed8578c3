import type { Knex } from "knex";
import type { QuickReplyPayload, QuickReplyWriteRequest } from "../../contracts/contacts.js";
import { conflict, notFound } from "../errors.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import type { AccountActor } from "./accountActor.js";

/**
 * Quick replies: saved answers agents insert with `/shortcut` in the composer. Everyone who
 * sends messages reads them; `settings.general` edits them. Not personal data (they belong to
 * the business), so privacy exports and erasures leave them alone.
 */

interface QuickReplyRow {
  id: number;
  shortcut: string;
  title: string;
  body: string;
  updated_at: Date;
}

const COLUMNS = ["id", "shortcut", "title", "body", "updated_at"] as const;

function presentQuickReply(row: QuickReplyRow): QuickReplyPayload {
  return {
    id: row.id,
    shortcut: row.shortcut,
    title: row.title,
    body: row.body,
    updatedAt: row.updated_at.toISOString(),
  };
}

const duplicateShortcut = (shortcut: string) =>
  conflict(`A quick reply with the shortcut /${shortcut} already exists.`);

function isDuplicateKey(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    "code" in error &&
    (error as { code?: unknown }).code === "ER_DUP_ENTRY"
  );
}

async function findQuickReply(db: Knex, id: number): Promise<QuickReplyRow> {
  const row = (await db("quick_replies")
    .where({ id })
    .first(...COLUMNS)) as QuickReplyRow | undefined;
  if (row === undefined) throw notFound("quick reply");
  return row;
}

/** Every quick reply, by shortcut. */
export async function listQuickReplies(db: Knex): Promise<QuickReplyPayload[]> {
  const rows = (await db("quick_replies")
    .orderBy("shortcut")
    .select(...COLUMNS)) as QuickReplyRow[];
  return rows.map(presentQuickReply);
}

/**
 * Creates a quick reply.
 * @throws conflict (409) when the shortcut is taken
 */
export async function quickReplyCreator(props: {
  db: Knex;
  actor: AccountActor;
  input: QuickReplyWriteRequest;
}): Promise<QuickReplyPayload> {
  const { db, input } = props;
  try {
    const id = await db.transaction(async (trx) => {
      const [inserted] = await trx("quick_replies").insert({
        shortcut: input.shortcut,
        title: input.title,
        body: input.body,
        updated_by_user_id: props.actor.userId,
      });
      if (inserted === undefined) throw new Error("quick reply not stored");
      await ActivityLogEntry.record(trx, {
        action: "quickReplies.create",
        actor: props.actor,
        data: { quickReplyId: inserted, shortcut: input.shortcut },
      });
      return inserted;
    });
    return presentQuickReply(await findQuickReply(db, id));
  } catch (error) {
    if (isDuplicateKey(error)) throw duplicateShortcut(input.shortcut);
    throw error;
  }
}

/**
 * Replaces a quick reply's shortcut, title and body.
 * @throws not_found, conflict (409) when the new shortcut is another reply's
 */
export async function quickReplyUpdater(props: {
  db: Knex;
  actor: AccountActor;
  id: number;
  input: QuickReplyWriteRequest;
}): Promise<QuickReplyPayload> {
  const { db, input } = props;
  await findQuickReply(db, props.id);
  try {
    await db.transaction(async (trx) => {
      await trx("quick_replies").where({ id: props.id }).update({
        shortcut: input.shortcut,
        title: input.title,
        body: input.body,
        updated_by_user_id: props.actor.userId,
      });
      await ActivityLogEntry.record(trx, {
        action: "quickReplies.update",
        actor: props.actor,
        data: { quickReplyId: props.id, shortcut: input.shortcut },
      });
    });
  } catch (error) {
    if (isDuplicateKey(error)) throw duplicateShortcut(input.shortcut);
    throw error;
  }
  return presentQuickReply(await findQuickReply(db, props.id));
}

/**
 * Deletes a quick reply.
 * @throws not_found
 */
export async function quickReplyDeleter(props: {
  db: Knex;
  actor: AccountActor;
  id: number;
}): Promise<void> {
  const { db } = props;
  await db.transaction(async (trx) => {
    const row = (await trx("quick_replies")
      .where({ id: props.id })
      .forUpdate()
      .first("shortcut")) as { shortcut: string } | undefined;
    if (row === undefined) throw notFound("quick reply");
    await trx("quick_replies").where({ id: props.id }).delete();
    await ActivityLogEntry.record(trx, {
      action: "quickReplies.delete",
      actor: props.actor,
      data: { quickReplyId: props.id, shortcut: row.shortcut },
    });
  });
}
