import type { MessageTemplatePayload } from "../../contracts/templates.js";

/** Fired by `<at-template-form>` once Meta accepted a new template for review. */
export type AtTemplateCreatedEvent = CustomEvent<{ template: MessageTemplatePayload }>;

declare global {
  interface GlobalEventHandlersEventMap {
    "at-template-created": AtTemplateCreatedEvent;
  }
}
