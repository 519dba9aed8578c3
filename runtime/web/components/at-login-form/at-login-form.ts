import AtLoginForm from "./at-login-form.component.js";

export * from "./at-login-form.component.js";
export default AtLoginForm;

customElements.define("at-login-form", AtLoginForm);

declare global {
  interface HTMLElementTagNameMap {
    "at-login-form": AtLoginForm;
  }
}
