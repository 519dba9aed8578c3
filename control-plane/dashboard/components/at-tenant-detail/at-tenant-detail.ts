import AtTenantDetail from "./at-tenant-detail.component.js";

customElements.define("at-tenant-detail", AtTenantDetail);

declare global {
  interface HTMLElementTagNameMap {
    "at-tenant-detail": AtTenantDetail;
  }
}
