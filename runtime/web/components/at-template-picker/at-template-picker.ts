import AtTemplatePicker from "./at-template-picker.component.js";

export * from "./at-template-picker.component.js";
export default AtTemplatePicker;

customElements.define("at-template-picker", AtTemplatePicker);

declare global {
  interface HTMLElementTagNameMap {
    "at-template-picker": AtTemplatePicker;
  }
}
