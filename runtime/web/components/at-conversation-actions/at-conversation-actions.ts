import AtConversationActions from "./at-conversation-actions.component.js";

export * from "./at-conversation-actions.component.js";
export default AtConversationActions;

customElements.define("at-conversation-actions", AtConversationActions);

declare global {
  interface HTMLElementTagNameMap {
    "at-conversation-actions": AtConversationActions;
  }
}
