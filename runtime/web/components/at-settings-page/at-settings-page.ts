import AtSettingsPage from "./at-settings-page.component.js";

export * from "./at-settings-page.component.js";
export default AtSettingsPage;

customElements.define("at-settings-page", AtSettingsPage);

declare global {
  interface HTMLElementTagNameMap {
    "at-settings-page": AtSettingsPage;
  }
}
