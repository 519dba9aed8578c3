import AtConversationList from "./at-conversation-list.component.js";

export * from "./at-conversation-list.component.js";
export default AtConversationList;

customElements.define("at-conversation-list", AtConversationList);

declare global {
  interface HTMLElementTagNameMap {
    "at-conversation-list": AtConversationList;
  }
}
