import AtWhatsappSettingsPage from "./at-whatsapp-settings-page.component.js";

export * from "./at-whatsapp-settings-page.component.js";
export default AtWhatsappSettingsPage;

customElements.define("at-whatsapp-settings-page", AtWhatsappSettingsPage);

declare global {
  interface HTMLElementTagNameMap {
    "at-whatsapp-settings-page": AtWhatsappSettingsPage;
  }
}
