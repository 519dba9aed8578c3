import { LitElement } from "lit";

/** Names of the dashboard's own DOM events (`at-…`), declared under `events/`. */
export type AtendeEventName = {
  [K in keyof GlobalEventHandlersEventMap]: K extends `at-${string}` ? K : never;
}[keyof GlobalEventHandlersEventMap];

/** The `detail` type of an atende event. */
export type AtendeEventDetail<K extends AtendeEventName> =
  GlobalEventHandlersEventMap[K] extends CustomEvent<infer Detail> ? Detail : never;

/** Base of every dashboard element: a typed `emit()` of bubbling, composed events. */
export class AtendeElement extends LitElement {
  emit<K extends AtendeEventName>(
    name: K,
    ...[detail]: AtendeEventDetail<K> extends undefined ? [] : [AtendeEventDetail<K>]
  ): CustomEvent<AtendeEventDetail<K>> {
    const event = new CustomEvent(name, { bubbles: true, composed: true, detail });
    this.dispatchEvent(event);
    return event;
  }
}
