import AtWhatsappSettings from "./at-whatsapp-settings.component.js";

export * from "./at-whatsapp-settings.component.js";
export default AtWhatsappSettings;

customElements.define("at-whatsapp-settings", AtWhatsappSettings);

declare global {
  interface HTMLElementTagNameMap {
    "at-whatsapp-settings": AtWhatsappSettings;
  }
}
