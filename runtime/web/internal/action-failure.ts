import { ApiError } from "../api/client.js";
import { errorMessage } from "../messages.js";

/**
 * The line an admin screen shows when a change it sent failed. Validation errors and conflicts
 * keep the server's own words, because they say which field or which clash (an e-mail already
 * in use, a role still held); anything else gets the interface's message for its error id.
 */
export function actionFailureMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return errorMessage("network_error");
  return error.id === "validation_error" || error.id === "conflict"
    ? error.message
    : errorMessage(error.id);
}
