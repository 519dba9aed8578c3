import AtMessageBubble from "./at-message-bubble.component.js";

export * from "./at-message-bubble.component.js";
export default AtMessageBubble;

customElements.define("at-message-bubble", AtMessageBubble);

declare global {
  interface HTMLElementTagNameMap {
    "at-message-bubble": AtMessageBubble;
  }
}
