import AtTenantDestroy from "./at-tenant-destroy.component.js";

customElements.define("at-tenant-destroy", AtTenantDestroy);

declare global {
  interface HTMLElementTagNameMap {
    "at-tenant-destroy": AtTenantDestroy;
  }
}
