import type { UserPayload } from "../../contracts/api.js";

/** Fired by `<at-login-form>` once the server accepted the credentials and set the session. */
export type AtLoginSuccessEvent = CustomEvent<{ user: UserPayload }>;

declare global {
  interface GlobalEventHandlersEventMap {
    "at-login-success": AtLoginSuccessEvent;
  }
}
