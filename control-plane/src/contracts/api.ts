/**
 * Shapes of the control-plane API's JSON, shared by the server's presenters and the dashboard.
 * Types only: imported by `src/` and `dashboard/` alike, so nothing here may import Node code.
 */

/** Staff roles, weakest first. */
export type StaffRolePayload = "viewer" | "operator" | "owner";

/** A signed-in staff member. */
export interface StaffPayload {
  id: number;
  email: string;
  role: StaffRolePayload;
  disabled: boolean;
  createdAt: string;
}

/** One container of a tenant as Docker reports it. */
export interface ServicePayload {
  role: string;
  container: string;
  state: string;
  health: string | null;
  image: string;
}

/** A tenant: desired state (registry) and observed state (Docker). */
export interface TenantPayload {
  name: string;
  status: string;
  observed: "running" | "degraded" | "stopped" | "absent";
  template: string;
  appVersion: string;
  url: string;
  adminEmail: string;
  hostPort: number;
  createdAt: string;
  updatedAt: string;
  services: ServicePayload[];
  /** The newest backup and its verification, or null when there is none. */
  lastBackup: BackupPayload | null;
  /** Backup problems someone must look at (failed, off-site copy failed, overdue); empty when fine. */
  backupAlerts: BackupAlertPayload[];
}

/** A backup alert of a tenant (ADR 0006). */
export interface BackupAlertPayload {
  id: "backup_failed" | "offsite_failed" | "backup_overdue";
  backupId: string | null;
  /** The failed backup's error id, or why its off-site copy failed. */
  reason: string | null;
  since: string | null;
}

/** One backup as the dashboard shows it (never its path or keys). */
export interface BackupPayload {
  id: string;
  kind: string;
  status: string;
  storedBytes: number | null;
  createdAt: string;
  finishedAt: string | null;
  errorId: string | null;
  verifyStatus: "passed" | "failed" | null;
  verifiedAt: string | null;
  /** The off-site (S3-compatible) copy, or null when none was made. */
  offsite: {
    location: string;
    state: "uploading" | "uploaded" | "failed";
    error: string | null;
  } | null;
}

/** A tenant with its recent operations. */
export interface TenantDetailPayload extends TenantPayload {
  operations: OperationPayload[];
}

/** One journalled operation. */
export interface OperationPayload {
  id: string;
  tenant: string;
  kind: string;
  status: "running" | "succeeded" | "failed";
  steps: Array<{
    id: string;
    state: string;
    startedAt: string;
    durationMs?: number;
    note?: string;
  }>;
  errorId: string | null;
  errorMessage: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** Answer to a request that started a background operation (HTTP 202). */
export interface OperationStartedPayload {
  operationId: string;
  tenant: string;
  kind: string;
  /** Every step the operation will go through, when known up front (create, destroy). */
  steps?: Array<{ id: string; title: string }>;
}

/** CPU and memory of a tenant's running containers. */
export interface TenantStatsPayload {
  name: string;
  sampledAt: string;
  containers: Array<{
    role: string;
    container: string;
    cpuPercent: number;
    memoryBytes: number;
    memoryLimitBytes: number;
  }>;
  totals: { cpuPercent: number; memoryBytes: number };
}

/** One setting of a tenant (`atende tenant config`): secrets only ever masked (`••••1234`). */
export interface TenantConfigEntryPayload {
  key: string;
  /** Null when not set (the template's default applies, or nothing for WhatsApp). */
  value: string | null;
  secret: boolean;
  description: string;
  /** `registry`: applied to the containers; `tenant`: kept in the tenant's own database. */
  storedIn: "registry" | "tenant";
  /** Why a value kept in the tenant could not be read (e.g. the tenant is stopped). */
  unavailable?: string;
}

/** `GET /api/tenants/:name/config`. */
export interface TenantConfigPayload {
  tenant: string;
  settings: TenantConfigEntryPayload[];
}

/** `PUT|DELETE /api/tenants/:name/config/:key`: the change, applied. */
export interface TenantConfiguredPayload {
  operationId: string;
  tenant: string;
  key: string;
  /** False when the setting already had that value. */
  changed: boolean;
  /** Services whose containers were re-created. */
  recreated: string[];
  entry: TenantConfigEntryPayload;
}

/** One finding of the doctor. */
export interface DoctorCheckPayload {
  id: string;
  status: "ok" | "warn" | "fail";
  detail: string;
  hint?: string;
}

/** One row of the staff audit log. */
export interface AuditPayload {
  id: number;
  occurredAt: string;
  staffEmail: string | null;
  ip: string | null;
  userAgent: string | null;
  action: string;
  target: string | null;
  outcome: string;
  detail: string | null;
}

/** Every failed response. */
export interface ApiFailure {
  ok: false;
  error: string;
  status: number;
  message: string;
  hint?: string;
}

/** Every successful response. */
export interface ApiSuccess<T> {
  ok: true;
  data: T;
}
