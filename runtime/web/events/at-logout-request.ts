/** Fired by `<at-inbox-shell>` when the user asks to sign out; the page ends the session. */
export type AtLogoutRequestEvent = CustomEvent<undefined>;

declare global {
  interface GlobalEventHandlersEventMap {
    "at-logout-request": AtLogoutRequestEvent;
  }
}
