import AtConversationFilters from "./at-conversation-filters.component.js";

export * from "./at-conversation-filters.component.js";
export default AtConversationFilters;

customElements.define("at-conversation-filters", AtConversationFilters);

declare global {
  interface HTMLElementTagNameMap {
    "at-conversation-filters": AtConversationFilters;
  }
}
