import AtContactPanel from "./at-contact-panel.component.js";

export * from "./at-contact-panel.component.js";
export default AtContactPanel;

customElements.define("at-contact-panel", AtContactPanel);

declare global {
  interface HTMLElementTagNameMap {
    "at-contact-panel": AtContactPanel;
  }
}
