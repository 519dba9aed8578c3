import type { OperationPayload } from "../contracts/api.js";
import type { ControlPlane } from "../controlPlane.js";
import { operationNotFound } from "../errors.js";

/** One operation from the journal, as the API and dashboard show it (the shape lives in the contracts). */
export type OperationView = OperationPayload;

interface OperationRow {
  id: string;
  tenant: string;
  kind: string;
  status: OperationView["status"];
  steps: string;
  error_id: string | null;
  error_message: string | null;
  started_at: number | string;
  finished_at: number | string | null;
}

const present = (row: OperationRow): OperationView => ({
  id: row.id,
  tenant: row.tenant,
  kind: row.kind,
  status: row.status,
  steps: (
    JSON.parse(row.steps) as Array<{
      id: string;
      state: string;
      startedAt: number;
      durationMs?: number;
      note?: string;
    }>
  ).map((step) => ({ ...step, startedAt: new Date(step.startedAt).toISOString() })),
  errorId: row.error_id,
  errorMessage: row.error_message,
  startedAt: new Date(Number(row.started_at)).toISOString(),
  finishedAt: row.finished_at === null ? null : new Date(Number(row.finished_at)).toISOString(),
});

/** One journalled operation by id. */
export async function getOperation(cp: ControlPlane, id: string): Promise<OperationView> {
  const row = (await cp.store.db("operations").where({ id }).first()) as OperationRow | undefined;
  if (!row) throw operationNotFound(id);
  return present(row);
}

/** A tenant's operation history, newest first. */
export async function listOperations(
  cp: ControlPlane,
  props: { tenant: string; limit?: number },
): Promise<OperationView[]> {
  const rows = (await cp.store
    .db("operations")
    .where({ tenant: props.tenant })
    .orderBy("started_at", "desc")
    .limit(props.limit ?? 20)) as OperationRow[];
  return rows.map(present);
}
