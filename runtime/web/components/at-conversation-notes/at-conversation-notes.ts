import AtConversationNotes from "./at-conversation-notes.component.js";

export * from "./at-conversation-notes.component.js";
export default AtConversationNotes;

customElements.define("at-conversation-notes", AtConversationNotes);

declare global {
  interface HTMLElementTagNameMap {
    "at-conversation-notes": AtConversationNotes;
  }
}
