import { html, nothing } from "lit";
import { query, state } from "lit/decorators.js";
import { io, type Socket } from "socket.io-client";
import type {
  StaffPayload,
  TenantDetailPayload,
  TenantPayload,
  TenantStatsPayload,
} from "../../../src/contracts/api.js";
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  TenantCreatedPayload,
} from "../../../src/contracts/socket-events.js";
import { ApiError, api } from "../../api.js";
import type { AtOperationStartedEvent } from "../../events/at-operation-started.js";
import type { AtSignedInEvent } from "../../events/at-signed-in.js";
import type { AtTenantActionEvent } from "../../events/at-tenant-action.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { errorText, strings } from "../../strings.js";
import type { OperationProgress } from "../at-operation-progress/at-operation-progress.component.js";
import type AtTenantDestroy from "../at-tenant-destroy/at-tenant-destroy.component.js";
import styles from "./at-dashboard-shell.styles.js";
import "../at-staff-login/at-staff-login.js";
import "../at-tenant-table/at-tenant-table.js";
import "../at-tenant-detail/at-tenant-detail.js";
import "../at-tenant-create/at-tenant-create.js";
import "../at-tenant-destroy/at-tenant-destroy.js";
import "../at-operation-progress/at-operation-progress.js";

/**
 * @summary The dashboard: sign-in, then tenants with their resources, details and actions, and
 * the live progress of operations over Socket.IO.
 */
export default class AtDashboardShell extends AtendeElement {
  static override styles = styles;

  /** undefined while checking the session, null when signed out. */
  @state() private staff: StaffPayload | null | undefined = undefined;
  @state() private tenants: TenantPayload[] = [];
  @state() private stats: Record<string, TenantStatsPayload> = {};
  @state() private detail: TenantDetailPayload | undefined;
  @state() private operations: OperationProgress[] = [];
  @state() private created: TenantCreatedPayload | undefined;
  @state() private failure = "";

  @query("at-tenant-destroy") private destroyDialog!: AtTenantDestroy;
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    api.me().then(
      (staff) => this.signedIn(staff),
      () => {
        this.staff = null;
      },
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.socket?.close();
    clearInterval(this.timer);
  }

  private signedIn(staff: StaffPayload): void {
    this.staff = staff;
    this.connectSocket();
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), 30_000);
  }

  private connectSocket(): void {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      transports: ["websocket"],
    });
    socket.on("operation:progressed", (event) => {
      const operation = this.trackOperation(event.operationId, event.tenant, event.kind);
      const step = operation.steps.find((candidate) => candidate.id === event.step.id);
      const update = {
        id: event.step.id,
        title: event.step.title,
        state: event.state,
        ...(event.durationMs === undefined ? {} : { durationMs: event.durationMs }),
        ...(event.note === undefined ? {} : { note: event.note }),
      };
      if (step) Object.assign(step, update);
      else operation.steps.push(update);
      this.operations = [...this.operations];
    });
    socket.on("operation:finished", (event) => {
      const operation = this.trackOperation(event.operationId, event.tenant, event.kind);
      operation.status = event.status;
      if (event.error)
        operation.error = `${event.error.message}${event.error.hint ? ` ${event.error.hint}` : ""}`;
      this.operations = [...this.operations];
      void this.refresh();
    });
    socket.on("tenant:created", (event) => {
      this.created = event;
    });
    socket.on("connect_error", () => {
      // The session ended (or the server restarted): go back to the sign-in form.
      api.me().catch(() => this.signedOut());
    });
    this.socket = socket;
  }

  private trackOperation(operationId: string, tenant: string, kind: string): OperationProgress {
    let operation = this.operations.find((candidate) => candidate.operationId === operationId);
    if (!operation) {
      operation = { operationId, tenant, kind, status: "running", steps: [] };
      this.operations = [operation, ...this.operations].slice(0, 10);
    }
    return operation;
  }

  private signedOut(): void {
    this.socket?.close();
    clearInterval(this.timer);
    this.staff = null;
    this.tenants = [];
    this.detail = undefined;
  }

  private async refresh(): Promise<void> {
    try {
      this.tenants = await api.tenants();
      this.failure = "";
      if (this.detail)
        // A destroyed tenant has no detail any more: close the panel instead of failing.
        this.detail = await api.tenant(this.detail.name).catch((error: unknown) => {
          if (error instanceof ApiError && error.id === "tenant_not_found") return undefined;
          throw error;
        });
    } catch (error) {
      this.handleError(error);
      return;
    }
    const live = this.tenants.filter(
      (tenant) => tenant.observed === "running" || tenant.observed === "degraded",
    );
    const samples = await Promise.allSettled(live.map((tenant) => api.stats(tenant.name)));
    const stats: Record<string, TenantStatsPayload> = {};
    for (const sample of samples)
      if (sample.status === "fulfilled") stats[sample.value.name] = sample.value;
    this.stats = stats;
  }

  private handleError(error: unknown): void {
    if (error instanceof ApiError && error.id === "authentication_required") {
      this.signedOut();
      return;
    }
    this.failure =
      error instanceof ApiError ? errorText(error.id, error.message) : errorText("network_error");
  }

  private async handleAction(event: AtTenantActionEvent): Promise<void> {
    const { tenant, action } = event.detail;
    try {
      if (action === "details") this.detail = await api.tenant(tenant);
      else if (action === "destroy") this.destroyDialog.open(tenant);
      else this.operationStarted(await api.power(tenant, action));
    } catch (error) {
      this.handleError(error);
    }
  }

  private operationStarted(started: AtOperationStartedEvent["detail"]): void {
    const operation = this.trackOperation(started.operationId, started.tenant, started.kind);
    // Show every step up front, like the CLI; events may already have filled some in.
    for (const step of started.steps ?? [])
      if (!operation.steps.some((known) => known.id === step.id))
        operation.steps.push({ ...step, state: "pending" });
    const order = started.steps?.map((step) => step.id) ?? [];
    operation.steps.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
    this.operations = [...this.operations];
    void this.refresh();
  }

  private async signOut(): Promise<void> {
    await api.signOut().catch(() => undefined);
    this.signedOut();
  }

  /**
   * Backup problems are loud: a banner above everything else, one line per kind (a failed
   * backup, a failed off-site copy, an overdue scheduled backup).
   */
  private renderBackupAlert() {
    const having = (id: string) =>
      this.tenants
        .filter((tenant) => tenant.backupAlerts.some((alert) => alert.id === id))
        .map((tenant) => tenant.name);
    const lines = [
      [having("backup_failed"), strings.backupFailedAlert],
      [having("offsite_failed"), strings.offsiteFailedAlert],
      [having("backup_overdue"), strings.backupOverdueAlert],
    ] as const;
    if (lines.every(([names]) => names.length === 0)) return nothing;
    return html`<div class="alert" role="alert">
      ${lines.map(([names, text]) => (names.length > 0 ? html`<p>${text(names)}</p>` : nothing))}
    </div>`;
  }

  override render() {
    if (this.staff === undefined) return nothing;
    if (this.staff === null)
      return html`<at-staff-login @at-signed-in=${(event: AtSignedInEvent) => this.signedIn(event.detail.staff)}></at-staff-login>`;
    const role = this.staff.role;
    return html`
      <header>
        <h1>${strings.appTitle}</h1>
        <span>${this.staff.email} (${role}) <button @click=${this.signOut}>${strings.signOut}</button></span>
      </header>
      <main
        @at-tenant-action=${this.handleAction}
        @at-operation-started=${(event: AtOperationStartedEvent) => this.operationStarted(event.detail)}
      >
        ${
          this.created
            ? html`<div class="notice" role="status">
                <strong>${strings.createdTitle(this.created.tenant)}</strong> —
                <a href=${this.created.url} target="_blank" rel="noopener noreferrer">${this.created.url}</a><br />
                ${this.created.adminEmail} · ${strings.createdPassword} <code>${this.created.oneTimePassword}</code>
                <button @click=${() => {
                  this.created = undefined;
                }}>${strings.close}</button>
              </div>`
            : nothing
        }
        ${this.renderBackupAlert()}
        <p class="error" role="alert">${this.failure}</p>
        <at-operation-progress .operations=${this.operations}></at-operation-progress>
        ${role === "viewer" ? nothing : html`<at-tenant-create></at-tenant-create>`}
        <section>
          <h2>${strings.tenants} <button @click=${() => void this.refresh()}>${strings.refresh}</button></h2>
          <at-tenant-table .tenants=${this.tenants} .stats=${this.stats} staff-role=${role}></at-tenant-table>
        </section>
        <at-tenant-detail
          .tenant=${this.detail}
          staff-role=${role}
          @close=${() => {
            this.detail = undefined;
          }}
        ></at-tenant-detail>
        <at-tenant-destroy></at-tenant-destroy>
      </main>
    `;
  }
}
