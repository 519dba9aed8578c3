import type { OperationView } from "../commands/operationInspector.js";
import type { OperationPayload } from "../contracts/api.js";

/** A journalled operation as the API shows it. */
export function presentOperation(view: OperationView): OperationPayload {
  return {
    id: view.id,
    tenant: view.tenant,
    kind: view.kind,
    status: view.status,
    steps: view.steps,
    errorId: view.errorId,
    errorMessage: view.errorMessage,
    startedAt: view.startedAt,
    finishedAt: view.finishedAt,
  };
}
