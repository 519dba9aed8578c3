import AtRoleEditor from "./at-role-editor.component.js";

export * from "./at-role-editor.component.js";
export default AtRoleEditor;

customElements.define("at-role-editor", AtRoleEditor);

declare global {
  interface HTMLElementTagNameMap {
    "at-role-editor": AtRoleEditor;
  }
}
