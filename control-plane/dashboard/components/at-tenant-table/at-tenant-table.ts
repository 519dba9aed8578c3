import AtTenantTable from "./at-tenant-table.component.js";

customElements.define("at-tenant-table", AtTenantTable);

declare global {
  interface HTMLElementTagNameMap {
    "at-tenant-table": AtTenantTable;
  }
}
