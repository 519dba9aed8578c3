import type { QueuePayload, QueueWriteRequest } from "../../contracts/conversations.js";
import { apiRequest } from "./client.js";

export { listQueues } from "./inbox.js";

/** Creates a queue (409 `conflict` when the name is taken). Needs `users.manage`. */
export function createQueue(queue: QueueWriteRequest): Promise<QueuePayload> {
  return apiRequest<QueuePayload>("POST", "/api/queues", queue);
}

/** Renames a queue and/or replaces its members (`memberUserIds` is the whole list). */
export function updateQueue(queueId: number, change: QueueWriteRequest): Promise<QueuePayload> {
  return apiRequest<QueuePayload>("PATCH", `/api/queues/${queueId}`, change);
}

/** Deletes a queue; the conversations waiting in it go back to the general queue. */
export async function deleteQueue(queueId: number): Promise<void> {
  await apiRequest("DELETE", `/api/queues/${queueId}`);
}
