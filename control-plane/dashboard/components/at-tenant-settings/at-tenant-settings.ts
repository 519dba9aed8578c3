import AtTenantSettings from "./at-tenant-settings.component.js";

customElements.define("at-tenant-settings", AtTenantSettings);

declare global {
  interface HTMLElementTagNameMap {
    "at-tenant-settings": AtTenantSettings;
  }
}
