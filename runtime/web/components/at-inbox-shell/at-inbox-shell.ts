import AtInboxShell from "./at-inbox-shell.component.js";

export * from "./at-inbox-shell.component.js";
export default AtInboxShell;

customElements.define("at-inbox-shell", AtInboxShell);

declare global {
  interface HTMLElementTagNameMap {
    "at-inbox-shell": AtInboxShell;
  }
}
