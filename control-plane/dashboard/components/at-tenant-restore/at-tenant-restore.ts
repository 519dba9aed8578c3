import AtTenantRestore from "./at-tenant-restore.component.js";

customElements.define("at-tenant-restore", AtTenantRestore);

declare global {
  interface HTMLElementTagNameMap {
    "at-tenant-restore": AtTenantRestore;
  }
}
