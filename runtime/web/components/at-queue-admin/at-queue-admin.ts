import AtQueueAdmin from "./at-queue-admin.component.js";

export * from "./at-queue-admin.component.js";
export default AtQueueAdmin;

customElements.define("at-queue-admin", AtQueueAdmin);

declare global {
  interface HTMLElementTagNameMap {
    "at-queue-admin": AtQueueAdmin;
  }
}
