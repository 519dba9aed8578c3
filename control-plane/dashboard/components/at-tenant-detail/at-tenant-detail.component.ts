import { html, nothing } from "lit";
import { property } from "lit/decorators.js";
import type { TenantDetailPayload } from "../../../src/contracts/api.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { strings } from "../../strings.js";
import { badgeClass } from "../../styles/component.styles.js";
import styles from "./at-tenant-detail.styles.js";

/**
 * @summary One tenant: its containers' state and health, and its operation history from the
 * journal (CLI and API alike).
 *
 * @event close - The close button was pressed.
 *
 * @csspart base - The section.
 */
export default class AtTenantDetail extends AtendeElement {
  static override styles = styles;

  /** The tenant to show. */
  @property({ attribute: false }) tenant: TenantDetailPayload | undefined;

  override render() {
    const tenant = this.tenant;
    if (!tenant) return nothing;
    return html`
      <section part="base" aria-label=${tenant.name}>
        <header>
          <h2>${tenant.name} <span class=${badgeClass(tenant.status)}>${tenant.status}</span></h2>
          <button @click=${() => this.dispatchEvent(new Event("close"))}>${strings.close}</button>
        </header>
        <p class="muted">${tenant.template} · ${tenant.appVersion} · ${tenant.adminEmail}</p>
        <h3>${strings.containers}</h3>
        <table>
          <thead><tr><th>${strings.role}</th><th>${strings.state}</th><th>${strings.health}</th><th>${strings.image}</th></tr></thead>
          <tbody>
            ${tenant.services.map(
              (service) => html`<tr>
                <td>${service.role}</td>
                <td><span class=${badgeClass(service.state)}>${service.state}</span></td>
                <td>${service.health ? html`<span class=${badgeClass(service.health)}>${service.health}</span>` : "—"}</td>
                <td class="muted">${service.image}</td>
              </tr>`,
            )}
          </tbody>
        </table>
        <h3>${strings.history}</h3>
        <table>
          <thead><tr><th>${strings.operation}</th><th>${strings.started}</th><th>${strings.result}</th></tr></thead>
          <tbody>
            ${tenant.operations.map(
              (operation) => html`<tr>
                <td>${operation.kind}</td>
                <td>${new Date(operation.startedAt).toLocaleString()}</td>
                <td>
                  <span class=${badgeClass(operation.status)}>${operation.status}</span>
                  ${operation.errorMessage ? html`<div class="error">${operation.errorMessage}</div>` : nothing}
                </td>
              </tr>`,
            )}
          </tbody>
        </table>
      </section>
    `;
  }
}
