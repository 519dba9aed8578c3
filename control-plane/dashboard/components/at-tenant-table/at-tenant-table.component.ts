import { html, nothing } from "lit";
import { property } from "lit/decorators.js";
import type {
  StaffRolePayload,
  TenantPayload,
  TenantStatsPayload,
} from "../../../src/contracts/api.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { formatBytes, strings } from "../../strings.js";
import { badgeClass } from "../../styles/component.styles.js";
import styles from "./at-tenant-table.styles.js";
import "../../events/at-tenant-action.js";

/**
 * @summary Tenants with status, observed Docker state, version, CPU, memory and URL, and the
 * actions the signed-in role allows.
 *
 * @event at-tenant-action - A button of a row was pressed.
 *
 * @csspart base - The table.
 */
export default class AtTenantTable extends AtendeElement {
  static override styles = styles;

  /** The tenants to show. */
  @property({ attribute: false }) tenants: TenantPayload[] = [];
  /** Latest CPU/memory sample per tenant name. */
  @property({ attribute: false }) stats: Record<string, TenantStatsPayload> = {};
  /** The signed-in role: decides which buttons show. */
  @property({ attribute: "staff-role" }) staffRole: StaffRolePayload = "viewer";

  private act(tenant: string, action: "details" | "stop" | "start" | "destroy") {
    this.emit("at-tenant-action", { tenant, action });
  }

  private renderBackup(tenant: TenantPayload) {
    const backup = tenant.lastBackup;
    if (!backup)
      return html`<span class="muted">${strings.noBackup}</span> ${this.renderAlerts(tenant)}`;
    const verify =
      backup.verifyStatus === "passed"
        ? html`<span class="badge badge--ok">${strings.verified}</span>`
        : backup.verifyStatus === "failed"
          ? html`<span class="badge badge--fail">${strings.verifyFailed}</span>`
          : html`<span class="muted">${strings.notVerified}</span>`;
    return html`<span class=${badgeClass(backup.status)}>${backup.status}</span>
      <span class="muted">${new Date(backup.createdAt).toLocaleString()}</span>
      ${backup.status === "succeeded" ? verify : nothing} ${this.renderAlerts(tenant)}`;
  }

  /** One red badge per backup alert (failed, off-site copy failed, overdue). */
  private renderAlerts(tenant: TenantPayload) {
    return tenant.backupAlerts.map(
      (alert) =>
        html`<span class="badge badge--fail" data-alert=${alert.id} title=${alert.reason ?? ""}
          >${strings.backupAlertLabels[alert.id] ?? alert.id}</span
        >`,
    );
  }

  override render() {
    if (this.tenants.length === 0) return html`<p class="muted">${strings.noTenants}</p>`;
    const canOperate = this.staffRole !== "viewer";
    const canDestroy = this.staffRole === "owner";
    return html`
      <table part="base">
        <thead>
          <tr>
            <th>${strings.name}</th><th>${strings.status}</th><th>${strings.observed}</th>
            <th>${strings.version}</th><th>${strings.cpu}</th><th>${strings.memory}</th>
            <th>${strings.lastBackup}</th><th>${strings.url}</th><th>${strings.actions}</th>
          </tr>
        </thead>
        <tbody>
          ${this.tenants.map((tenant) => {
            const stats = this.stats[tenant.name];
            return html`
              <tr data-tenant=${tenant.name}>
                <td>${tenant.name}</td>
                <td><span class=${badgeClass(tenant.status)}>${tenant.status}</span></td>
                <td><span class=${badgeClass(tenant.observed)}>${tenant.observed}</span></td>
                <td>${tenant.appVersion}</td>
                <td>${stats ? `${stats.totals.cpuPercent.toFixed(1)} %` : "—"}</td>
                <td>${stats ? formatBytes(stats.totals.memoryBytes) : "—"}</td>
                <td>${this.renderBackup(tenant)}</td>
                <td><a href=${tenant.url} target="_blank" rel="noopener noreferrer">${tenant.url}</a></td>
                <td class="actions">
                  <button @click=${() => this.act(tenant.name, "details")}>${strings.details}</button>
                  ${
                    canOperate && tenant.status === "ready"
                      ? html`<button @click=${() => this.act(tenant.name, "stop")}>${strings.stop}</button>`
                      : nothing
                  }
                  ${
                    canOperate && tenant.status === "stopped"
                      ? html`<button @click=${() => this.act(tenant.name, "start")}>${strings.start}</button>`
                      : nothing
                  }
                  ${
                    canDestroy
                      ? html`<button class="danger" @click=${() => this.act(tenant.name, "destroy")}>
                          ${strings.destroy}
                        </button>`
                      : nothing
                  }
                </td>
              </tr>
            `;
          })}
        </tbody>
      </table>
    `;
  }
}
