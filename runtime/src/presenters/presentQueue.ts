import type { QueuePayload } from "../../contracts/conversations.js";

/** A queue and the ids of its members, in ascending order. */
export function presentQueue(
  row: { id: number; name: string },
  memberUserIds: readonly number[],
): QueuePayload {
  return {
    id: row.id,
    name: row.name,
    memberUserIds: [...memberUserIds].sort((left, right) => left - right),
  };
}
