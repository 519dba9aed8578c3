import type { Knex } from "knex";
import type { QueuePayload, QueueWriteRequest } from "../../contracts/conversations.js";
import { conflict, notFound, validationError } from "../errors.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import { presentQueue } from "../presenters/presentQueue.js";
import type { AccountActor } from "./accountActor.js";

/** Every queue with its members, by name. */
export async function listQueues(db: Knex): Promise<QueuePayload[]> {
  const queues = (await db("queues").orderBy("name").select("id", "name")) as Array<{
    id: number;
    name: string;
  }>;
  const members = (await db("queue_members").select("queue_id", "user_id")) as Array<{
    queue_id: number;
    user_id: number;
  }>;
  const membersOf = new Map<number, number[]>();
  for (const member of members) {
    membersOf.set(member.queue_id, [...(membersOf.get(member.queue_id) ?? []), member.user_id]);
  }
  return queues.map((queue) => presentQueue(queue, membersOf.get(queue.id) ?? []));
}

/** Props of the queue commands. */
interface QueueEditorProps {
  db: Knex;
  actor: AccountActor;
}

/** An admin creates a queue (team), optionally with its members. Names are unique. */
export async function queueCreator(
  props: QueueEditorProps & { input: QueueWriteRequest },
): Promise<QueuePayload> {
  const { input } = props;
  const memberUserIds = [...new Set(input.memberUserIds ?? [])];
  const id = await withUniqueName(input.name, () =>
    props.db.transaction(async (trx) => {
      await assertUsersExist(trx, memberUserIds);
      const [inserted] = await trx("queues").insert({ name: input.name });
      if (inserted === undefined) throw new Error("queue not stored");
      await insertMembers(trx, inserted, memberUserIds);
      await ActivityLogEntry.record(trx, {
        action: "queues.create",
        actor: props.actor,
        data: { queueId: inserted, memberUserIds },
      });
      return inserted;
    }),
  );
  return presentQueue({ id, name: input.name }, memberUserIds);
}

/** An admin renames a queue and, when `memberUserIds` is given, replaces its members. */
export async function queueUpdater(
  props: QueueEditorProps & { queueId: number; input: QueueWriteRequest },
): Promise<QueuePayload> {
  const { input } = props;
  await withUniqueName(input.name, () =>
    props.db.transaction(async (trx) => {
      const queue = await trx("queues").where({ id: props.queueId }).forUpdate().first("id");
      if (queue === undefined) throw notFound("queue");
      await trx("queues").where({ id: props.queueId }).update({ name: input.name });
      const memberUserIds =
        input.memberUserIds === undefined ? undefined : [...new Set(input.memberUserIds)];
      if (memberUserIds !== undefined) {
        await assertUsersExist(trx, memberUserIds);
        await trx("queue_members").where({ queue_id: props.queueId }).delete();
        await insertMembers(trx, props.queueId, memberUserIds);
      }
      await ActivityLogEntry.record(trx, {
        action: "queues.update",
        actor: props.actor,
        data: {
          queueId: props.queueId,
          ...(memberUserIds === undefined ? {} : { memberUserIds }),
        },
      });
    }),
  );
  const members = (await props
    .db("queue_members")
    .where({ queue_id: props.queueId })
    .pluck("user_id")) as number[];
  return presentQueue({ id: props.queueId, name: input.name }, members);
}

/** An admin deletes a queue; its conversations go back to the general queue (FK SET NULL). */
export async function queueDeleter(props: QueueEditorProps & { queueId: number }): Promise<void> {
  await props.db.transaction(async (trx) => {
    const deleted = await trx("queues").where({ id: props.queueId }).delete();
    if (deleted === 0) throw notFound("queue");
    await ActivityLogEntry.record(trx, {
      action: "queues.delete",
      actor: props.actor,
      data: { queueId: props.queueId },
    });
  });
}

async function withUniqueName<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isDuplicateKey(error)) throw conflict(`A queue named "${name}" already exists.`);
    throw error;
  }
}

async function assertUsersExist(trx: Knex.Transaction, userIds: readonly number[]): Promise<void> {
  if (userIds.length === 0) return;
  const found = new Set((await trx("users").whereIn("id", userIds).pluck("id")) as number[]);
  const missing = userIds.find((id) => !found.has(id));
  if (missing !== undefined) {
    throw validationError(`Invalid memberUserIds: there is no user ${missing}.`, {
      field: "memberUserIds",
    });
  }
}

async function insertMembers(
  trx: Knex.Transaction,
  queueId: number,
  userIds: readonly number[],
): Promise<void> {
  if (userIds.length === 0) return;
  await trx("queue_members").insert(
    userIds.map((userId) => ({ queue_id: queueId, user_id: userId })),
  );
}

function isDuplicateKey(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    "code" in error &&
    (error as { code?: unknown }).code === "ER_DUP_ENTRY"
  );
}
