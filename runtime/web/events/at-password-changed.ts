import type { UserPayload } from "../../contracts/api.js";

/** Fired by `<at-password-change>` once the server accepted the new password. */
export type AtPasswordChangedEvent = CustomEvent<{ user: UserPayload }>;

declare global {
  interface GlobalEventHandlersEventMap {
    "at-password-changed": AtPasswordChangedEvent;
  }
}
