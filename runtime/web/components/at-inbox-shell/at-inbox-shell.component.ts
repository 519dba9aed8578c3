import { html } from "lit";
import { property } from "lit/decorators.js";
import type { UserPayload } from "../../../contracts/api.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { roleLabels } from "../../messages.js";
import styles from "./at-inbox-shell.styles.js";
import "../../events/at-logout-request.js";

/** State of the real-time connection, as shown to the agent. */
export type ConnectionState = "connecting" | "connected" | "disconnected";

const connectionLabels: Record<ConnectionState, string> = {
  connecting: "Conectando…",
  connected: "Conectado",
  disconnected: "Sem conexão",
};

/**
 * @summary The inbox frame: header with the agent's name, role and a sign-out button, the
 *   real-time connection state, and the conversation list (empty for now).
 *
 * @event at-logout-request - The user pressed "Sair".
 *
 * @csspart base - The wrapper around header and content.
 */
export default class AtInboxShell extends AtendeElement {
  static override styles = styles;

  /** The signed-in user. */
  @property({ attribute: false }) user?: UserPayload;

  /** Real-time connection state, reflected so page styles can react. */
  @property({ reflect: true }) connection: ConnectionState = "connecting";

  private handleLogout(): void {
    this.emit("at-logout-request");
  }

  override render() {
    return html`
      <div part="base">
        <header class="inbox__header">
          <p class="inbox__brand">atende</p>
          <span class="inbox__connection" role="status">${connectionLabels[this.connection]}</span>
          ${
            this.user === undefined
              ? ""
              : html`<div class="inbox__user">
                  <span class="inbox__name">${this.user.name}</span>
                  <span class="inbox__role">${roleLabels[this.user.role]}</span>
                </div>`
          }
          <button class="inbox__logout" type="button" @click=${this.handleLogout}>Sair</button>
        </header>
        <main class="inbox__main">
          <section aria-labelledby="conversations-heading">
            <h1 class="inbox__heading" id="conversations-heading">Conversas</h1>
            <p class="inbox__empty">Nenhuma conversa ainda</p>
          </section>
        </main>
      </div>
    `;
  }
}
