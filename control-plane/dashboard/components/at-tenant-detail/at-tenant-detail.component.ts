import { html, nothing, type PropertyValues } from "lit";
import { property, query, state } from "lit/decorators.js";
import type {
  BackupPayload,
  OperationStartedPayload,
  StaffRolePayload,
  TenantDetailPayload,
} from "../../../src/contracts/api.js";
import { ApiError, api } from "../../api.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { errorText, formatBytes, strings } from "../../strings.js";
import { badgeClass } from "../../styles/component.styles.js";
import type AtTenantRestore from "../at-tenant-restore/at-tenant-restore.component.js";
import type AtTenantUpgrade from "../at-tenant-upgrade/at-tenant-upgrade.component.js";
import styles from "./at-tenant-detail.styles.js";
import "../at-tenant-restore/at-tenant-restore.js";
import "../at-tenant-settings/at-tenant-settings.js";
import "../at-tenant-upgrade/at-tenant-upgrade.js";
import "../../events/at-operation-started.js";

/**
 * @summary One tenant: its containers' state and health, and its operation history from the
 * journal (CLI and API alike), its backups, and the backup, verify, restore and upgrade actions
 * the staff member's role allows (restore: owner; the others: operator).
 *
 * @event close - The close button was pressed.
 * @event at-operation-started - The API accepted a backup, verification, restore or upgrade.
 *
 * @csspart base - The section.
 */
export default class AtTenantDetail extends AtendeElement {
  static override styles = styles;

  /** The tenant to show. */
  @property({ attribute: false }) tenant: TenantDetailPayload | undefined;

  /** The signed-in staff member's role: which actions to offer. */
  @property({ attribute: "staff-role" }) staffRole: StaffRolePayload = "viewer";

  @state() private backups: BackupPayload[] = [];
  @state() private failure = "";
  @query("at-tenant-restore") private restoreDialog!: AtTenantRestore;
  @query("at-tenant-upgrade") private upgradeDialog!: AtTenantUpgrade;

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The shell hands a fresh tenant on every refresh: reload its backups with it.
    if (changed.has("tenant")) void this.loadBackups();
  }

  private async loadBackups(): Promise<void> {
    const name = this.tenant?.name;
    if (name === undefined) {
      this.backups = [];
      return;
    }
    try {
      const backups = await api.backups(name);
      if (this.tenant?.name === name) this.backups = backups;
    } catch (error) {
      this.showError(error);
    }
  }

  private showError(error: unknown): void {
    this.failure =
      error instanceof ApiError ? errorText(error.id, error.message) : errorText("network_error");
  }

  private async run(request: () => Promise<OperationStartedPayload>): Promise<void> {
    try {
      this.failure = "";
      this.emit("at-operation-started", await request());
    } catch (error) {
      this.showError(error);
    }
  }

  private renderVerification(backup: BackupPayload) {
    if (backup.verifyStatus === "passed")
      return html`<span class="badge badge--ok">${strings.verified}</span>`;
    if (backup.verifyStatus === "failed")
      return html`<span class="badge badge--fail">${strings.verifyFailed}</span>`;
    return html`<span class="muted">${strings.notVerified}</span>`;
  }

  private renderOffsite(backup: BackupPayload) {
    const copy = backup.offsite;
    if (!copy) return html`<span class="muted">${strings.noOffsite}</span>`;
    return html`<span class=${copy.state === "uploaded" ? "badge badge--ok" : copy.state === "failed" ? "badge badge--fail" : "badge badge--warn"}
        title=${copy.error ?? copy.location}>${strings.offsiteStates[copy.state] ?? copy.state}</span>
      <span class="muted">${copy.location}</span>`;
  }

  /** The tenant's backup alerts, as a banner above its details. */
  private renderAlerts(tenant: TenantDetailPayload) {
    if (tenant.backupAlerts.length === 0) return nothing;
    return html`<div class="alert" role="alert" data-backup-alerts>
      ${tenant.backupAlerts.map(
        (alert) => html`<p data-alert=${alert.id}>
          ${strings.backupAlertLabels[alert.id] ?? alert.id}${alert.backupId ? ` (${alert.backupId})` : ""}${alert.reason ? `: ${alert.reason}` : ""}
        </p>`,
      )}
    </div>`;
  }

  private renderBackups(name: string) {
    const canOperate = this.staffRole !== "viewer";
    const canRestore = this.staffRole === "owner";
    return html`
      <h3>
        ${strings.backups}
        ${canOperate ? html`<button @click=${() => this.run(() => api.backup(name))}>${strings.backUpNow}</button>` : nothing}
        ${canOperate ? html`<button @click=${() => this.upgradeDialog.open(name)}>${strings.upgrade}</button>` : nothing}
      </h3>
      <p class="error" role="alert">${this.failure}</p>
      ${
        this.backups.length === 0
          ? html`<p class="muted">${strings.noBackups}</p>`
          : html`<table>
              <thead><tr><th>${strings.backupId}</th><th>${strings.status}</th><th>${strings.size}</th><th>${strings.offsite}</th><th>${strings.verification}</th>${canOperate ? html`<th>${strings.actions}</th>` : nothing}</tr></thead>
              <tbody>
                ${this.backups.map(
                  (backup) => html`<tr data-backup=${backup.id}>
                    <td>${new Date(backup.createdAt).toLocaleString()} <span class="muted">${backup.id}</span></td>
                    <td><span class=${badgeClass(backup.status)}>${backup.status}</span></td>
                    <td>${backup.storedBytes === null ? "—" : formatBytes(backup.storedBytes)}</td>
                    <td>${this.renderOffsite(backup)}</td>
                    <td>${this.renderVerification(backup)}</td>
                    ${
                      canOperate
                        ? html`<td>
                            ${
                              backup.status === "succeeded"
                                ? html`<button @click=${() => this.run(() => api.verifyBackup(name, backup.id))}>${strings.verify}</button>
                                  ${canRestore ? html`<button class="danger" @click=${() => this.restoreDialog.open(name, backup.id)}>${strings.restore}</button>` : nothing}`
                                : nothing
                            }
                          </td>`
                        : nothing
                    }
                  </tr>`,
                )}
              </tbody>
            </table>`
      }
      <at-tenant-restore></at-tenant-restore>
      <at-tenant-upgrade></at-tenant-upgrade>
    `;
  }

  override render() {
    const tenant = this.tenant;
    if (!tenant) return nothing;
    return html`
      <section part="base" aria-label=${tenant.name}>
        <header>
          <h2>${tenant.name} <span class=${badgeClass(tenant.status)}>${tenant.status}</span></h2>
          <button @click=${() => this.dispatchEvent(new Event("close"))}>${strings.close}</button>
        </header>
        ${this.renderAlerts(tenant)}
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
        ${this.renderBackups(tenant.name)}
        <at-tenant-settings .tenant=${tenant.name} staff-role=${this.staffRole}></at-tenant-settings>
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
