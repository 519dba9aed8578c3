import type { BackupAlert } from "../backups/backupAlerts.js";
import type { BackupEntry } from "../backups/backupCatalog.js";
import type { TenantView } from "../commands/tenantInspector.js";
import type { TenantPayload } from "../contracts/api.js";
import { presentBackup } from "./presentBackup.js";

/** A tenant as the API shows it: no secrets, no Docker ids beyond container names. */
export function presentTenant(
  view: TenantView,
  lastBackup: BackupEntry | undefined,
  backupAlerts: readonly BackupAlert[] = [],
): TenantPayload {
  return {
    name: view.name,
    status: view.status,
    observed: view.observed,
    template: view.template,
    appVersion: view.appVersion,
    url: view.url,
    adminEmail: view.adminEmail,
    hostPort: view.hostPort,
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
    services: view.services.map((service) => ({ ...service })),
    lastBackup: lastBackup ? presentBackup(lastBackup) : null,
    backupAlerts: backupAlerts.map((alert) => ({
      id: alert.id,
      backupId: alert.backupId,
      reason: alert.reason,
      since: alert.since?.toISOString() ?? null,
    })),
  };
}
