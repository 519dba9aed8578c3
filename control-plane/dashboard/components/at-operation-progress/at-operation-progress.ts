import AtOperationProgress from "./at-operation-progress.component.js";

customElements.define("at-operation-progress", AtOperationProgress);

declare global {
  interface HTMLElementTagNameMap {
    "at-operation-progress": AtOperationProgress;
  }
}
