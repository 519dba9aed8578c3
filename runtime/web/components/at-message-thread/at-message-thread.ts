import AtMessageThread from "./at-message-thread.component.js";

export * from "./at-message-thread.component.js";
export default AtMessageThread;

customElements.define("at-message-thread", AtMessageThread);

declare global {
  interface HTMLElementTagNameMap {
    "at-message-thread": AtMessageThread;
  }
}
