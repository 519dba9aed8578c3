import AtTemplateManager from "./at-template-manager.component.js";

export * from "./at-template-manager.component.js";
export default AtTemplateManager;

customElements.define("at-template-manager", AtTemplateManager);

declare global {
  interface HTMLElementTagNameMap {
    "at-template-manager": AtTemplateManager;
  }
}
