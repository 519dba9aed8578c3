import AtPasswordChange from "./at-password-change.component.js";

export * from "./at-password-change.component.js";
export default AtPasswordChange;

customElements.define("at-password-change", AtPasswordChange);

declare global {
  interface HTMLElementTagNameMap {
    "at-password-change": AtPasswordChange;
  }
}
