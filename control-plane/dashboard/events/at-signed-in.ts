import type { StaffPayload } from "../../src/contracts/api.js";

/** The server accepted the credentials and set the session cookie. */
export type AtSignedInEvent = CustomEvent<{ staff: StaffPayload }>;

declare global {
  interface GlobalEventHandlersEventMap {
    "at-signed-in": AtSignedInEvent;
  }
}
