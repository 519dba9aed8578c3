import AtAuditLog from "./at-audit-log.component.js";

export * from "./at-audit-log.component.js";
export default AtAuditLog;

customElements.define("at-audit-log", AtAuditLog);

declare global {
  interface HTMLElementTagNameMap {
    "at-audit-log": AtAuditLog;
  }
}
