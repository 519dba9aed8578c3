import { LitElement } from "lit";

/** Names of atende's own DOM events (`at-…`), as declared under `web/events/`. */
export type AtendeEventName = {
  [K in keyof GlobalEventHandlersEventMap]: K extends `at-${string}` ? K : never;
}[keyof GlobalEventHandlersEventMap];

/** The `detail` type of an atende event. */
export type AtendeEventDetail<K extends AtendeEventName> =
  GlobalEventHandlersEventMap[K] extends CustomEvent<infer Detail> ? Detail : never;

/**
 * Base class of every atende element: a typed `emit()` so an event's name and detail are checked
 * against its declaration in `web/events/`.
 */
export class AtendeElement extends LitElement {
  /**
   * Dispatches an atende event that bubbles out of shadow roots (`composed`), so the page can
   * listen at the top.
   */
  emit<K extends AtendeEventName>(
    name: K,
    ...[detail]: AtendeEventDetail<K> extends undefined ? [] : [AtendeEventDetail<K>]
  ): CustomEvent<AtendeEventDetail<K>> {
    const event = new CustomEvent(name, {
      bubbles: true,
      composed: true,
      cancelable: false,
      detail,
    });
    this.dispatchEvent(event);
    return event;
  }
}
