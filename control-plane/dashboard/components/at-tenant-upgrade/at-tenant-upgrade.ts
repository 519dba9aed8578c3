import AtTenantUpgrade from "./at-tenant-upgrade.component.js";

customElements.define("at-tenant-upgrade", AtTenantUpgrade);

declare global {
  interface HTMLElementTagNameMap {
    "at-tenant-upgrade": AtTenantUpgrade;
  }
}
