import AtReports from "./at-reports.component.js";

export * from "./at-reports.component.js";
export default AtReports;

customElements.define("at-reports", AtReports);

declare global {
  interface HTMLElementTagNameMap {
    "at-reports": AtReports;
  }
}
