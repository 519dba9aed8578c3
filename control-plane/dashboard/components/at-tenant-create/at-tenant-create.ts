import AtTenantCreate from "./at-tenant-create.component.js";

customElements.define("at-tenant-create", AtTenantCreate);

declare global {
  interface HTMLElementTagNameMap {
    "at-tenant-create": AtTenantCreate;
  }
}
