import type { WhatsappSettingsPayload } from "../../contracts/api.js";

/** Fired by `<at-whatsapp-settings>` after the settings were saved (secrets masked). */
export type AtWhatsappSettingsSavedEvent = CustomEvent<{ settings: WhatsappSettingsPayload }>;

declare global {
  interface GlobalEventHandlersEventMap {
    "at-whatsapp-settings-saved": AtWhatsappSettingsSavedEvent;
  }
}
