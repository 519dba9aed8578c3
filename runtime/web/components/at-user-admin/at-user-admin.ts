import AtUserAdmin from "./at-user-admin.component.js";

export * from "./at-user-admin.component.js";
export default AtUserAdmin;

customElements.define("at-user-admin", AtUserAdmin);

declare global {
  interface HTMLElementTagNameMap {
    "at-user-admin": AtUserAdmin;
  }
}
