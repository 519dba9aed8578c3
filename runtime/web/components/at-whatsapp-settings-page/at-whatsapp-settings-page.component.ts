import { html, nothing } from "lit";
import { property, query } from "lit/decorators.js";
import type { MessageTemplatePayload } from "../../../contracts/templates.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { whatsappSettingsText } from "../../messages.js";
import type AtTemplateManager from "../at-template-manager/at-template-manager.component.js";
import styles from "./at-whatsapp-settings-page.styles.js";
import "../at-settings-page/at-settings-page.js";
import "../at-whatsapp-settings/at-whatsapp-settings.js";
import "../at-template-manager/at-template-manager.js";

/**
 * @summary The WhatsApp page reached from the inbox (permission `settings.whatsapp`): the
 *   connection settings and, with `templates.manage`, the message templates; a way back to the
 *   conversations.
 *
 * @csspart base - The page frame (`at-settings-page`).
 */
export default class AtWhatsappSettingsPage extends AtendeElement {
  static override styles = styles;

  /** Whether to show the message templates (permission `templates.manage`). */
  @property({ type: Boolean, attribute: "manage-templates" }) manageTemplates = false;

  @query("at-template-manager") private manager?: AtTemplateManager;

  private readonly text = whatsappSettingsText();

  /** Passes a live template update (`template:statusChanged`) to the template list. */
  applyTemplate(template: MessageTemplatePayload): void {
    this.manager?.applyTemplate(template);
  }

  override render() {
    return html`
      <at-settings-page part="base" heading=${this.text.pageTitle}>
        <at-whatsapp-settings></at-whatsapp-settings>
        ${this.manageTemplates ? html`<at-template-manager></at-template-manager>` : nothing}
      </at-settings-page>
    `;
  }
}
