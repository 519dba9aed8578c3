import AtNotificationSettings from "./at-notification-settings.component.js";

export * from "./at-notification-settings.component.js";
export default AtNotificationSettings;

customElements.define("at-notification-settings", AtNotificationSettings);

declare global {
  interface HTMLElementTagNameMap {
    "at-notification-settings": AtNotificationSettings;
  }
}
