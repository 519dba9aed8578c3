import AtComposer from "./at-composer.component.js";

export * from "./at-composer.component.js";
export default AtComposer;

customElements.define("at-composer", AtComposer);

declare global {
  interface HTMLElementTagNameMap {
    "at-composer": AtComposer;
  }
}
