import AtDashboardShell from "./at-dashboard-shell.component.js";

customElements.define("at-dashboard-shell", AtDashboardShell);

declare global {
  interface HTMLElementTagNameMap {
    "at-dashboard-shell": AtDashboardShell;
  }
}
