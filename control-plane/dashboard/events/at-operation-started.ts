import type { OperationStartedPayload } from "../../src/contracts/api.js";

/** An operation was accepted by the API (HTTP 202); its steps follow over Socket.IO. */
export type AtOperationStartedEvent = CustomEvent<OperationStartedPayload>;

declare global {
  interface GlobalEventHandlersEventMap {
    "at-operation-started": AtOperationStartedEvent;
  }
}
