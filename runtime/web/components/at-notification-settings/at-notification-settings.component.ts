import { html } from "lit";
import { state } from "lit/decorators.js";
import { AtendeElement } from "../../internal/atende-element.js";
import styles from "./at-notification-settings.styles.js";
import { notificationSettingsText } from "./at-notification-settings.texts.js";
import {
  type NotificationPreferences,
  notificationPreferences,
  saveNotificationPreferences,
} from "./notifications.js";

/**
 * @summary Two switches for new-message alerts: the chime, and the browser's notifications
 *   (turning them on asks the browser's permission). Choices are kept in this browser.
 *
 * @csspart base - The fieldset.
 */
export default class AtNotificationSettings extends AtendeElement {
  static override styles = styles;

  @state() private preferences: NotificationPreferences = notificationPreferences();
  @state() private problem = "";

  private savePreferences(change: Partial<NotificationPreferences>): void {
    this.preferences = { ...this.preferences, ...change };
    saveNotificationPreferences(this.preferences);
  }

  private async toggleBrowser(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const text = notificationSettingsText();
    if (!input.checked) {
      this.problem = "";
      this.savePreferences({ browser: false });
      return;
    }
    if (typeof Notification === "undefined") {
      input.checked = false;
      this.problem = text.unsupported;
      return;
    }
    // Browsers only ask from a user's click, which this is.
    const permission =
      Notification.permission === "default"
        ? await Notification.requestPermission()
        : Notification.permission;
    if (permission !== "granted") {
      input.checked = false;
      this.problem = text.denied;
      this.savePreferences({ browser: false });
      return;
    }
    this.problem = "";
    this.savePreferences({ browser: true });
  }

  override render() {
    const text = notificationSettingsText();
    return html`
      <fieldset part="base" class="settings">
        <legend class="settings__legend">${text.legend}</legend>
        <label class="settings__option">
          <input
            type="checkbox"
            .checked=${this.preferences.sound}
            @change=${(event: Event) =>
              this.savePreferences({ sound: (event.target as HTMLInputElement).checked })}
          />
          ${text.sound}
        </label>
        <label class="settings__option">
          <input
            type="checkbox"
            .checked=${this.preferences.browser}
            @change=${(event: Event) => this.toggleBrowser(event)}
          />
          ${text.browser}
        </label>
        <p class="settings__problem" role="status">${this.problem}</p>
      </fieldset>
    `;
  }
}
