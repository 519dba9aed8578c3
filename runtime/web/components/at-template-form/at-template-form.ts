import AtTemplateForm from "./at-template-form.component.js";

export * from "./at-template-form.component.js";
export default AtTemplateForm;

customElements.define("at-template-form", AtTemplateForm);

declare global {
  interface HTMLElementTagNameMap {
    "at-template-form": AtTemplateForm;
  }
}
