import { html } from "lit";
import { property } from "lit/decorators.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { whatsappSettingsText } from "../../messages.js";
import styles from "./at-settings-page.styles.js";

/**
 * @summary The frame of a settings page reached from the inbox: brand, a way back to the
 *   conversations, the page title, and the page's sections in the default slot.
 *
 * @slot - The page's sections.
 * @csspart base - The wrapper around header and content.
 */
export default class AtSettingsPage extends AtendeElement {
  static override styles = styles;

  /** The page title (an `h1`). */
  @property() heading = "";

  override render() {
    return html`
      <div part="base">
        <header class="app-bar">
          <p class="app-bar__brand">atende</p>
          <a class="page__back" href="/">← ${whatsappSettingsText().back}</a>
        </header>
        <main class="page__main">
          <h1 class="page__title">${this.heading}</h1>
          <slot></slot>
        </main>
      </div>
    `;
  }
}
