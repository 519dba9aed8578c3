/** Every user-visible string of the dashboard, in one place (staff are internal: English). */
export const strings = {
  appTitle: "atende control plane",
  signIn: "Sign in",
  signingIn: "Signing in…",
  signOut: "Sign out",
  email: "E-mail",
  password: "Password",
  tenants: "Tenants",
  noTenants: "No tenants yet.",
  refresh: "Refresh",
  name: "Name",
  status: "Status",
  observed: "Docker",
  version: "Version",
  cpu: "CPU",
  memory: "Memory",
  url: "URL",
  lastBackup: "Last backup",
  noBackup: "none",
  verified: "verified",
  verifyFailed: "verification failed",
  notVerified: "not verified",
  backupFailedAlert: (names: string[]) =>
    `The last backup failed for: ${names.join(", ")}. Look at \`atende tenant backups <name>\` and run the backup again.`,
  offsiteFailedAlert: (names: string[]) =>
    `The off-site copy of the last backup failed for: ${names.join(", ")}. The local backups are fine; check the ATENDE_BACKUP_S3_* settings and the storage.`,
  backupOverdueAlert: (names: string[]) =>
    `No successful backup in the last 26 hours, although the daily schedule is on, for: ${names.join(", ")}.`,
  /** Short labels of a tenant's backup alerts (badges). */
  backupAlertLabels: {
    backup_failed: "last backup failed",
    offsite_failed: "off-site copy failed",
    backup_overdue: "no backup in 26 h",
  } as Record<string, string>,
  offsite: "Off-site copy",
  offsiteStates: {
    uploaded: "copied",
    uploading: "copying",
    failed: "copy failed",
  } as Record<string, string>,
  noOffsite: "local only",
  actions: "Actions",
  details: "Details",
  stop: "Stop",
  start: "Start",
  destroy: "Destroy",
  create: "Create tenant",
  creating: "Starting…",
  adminEmail: "First admin's e-mail",
  tenantName: "Tenant name",
  containers: "Containers",
  health: "Health",
  state: "State",
  role: "Role",
  image: "Image",
  history: "Operation history",
  operation: "Operation",
  started: "Started",
  result: "Result",
  running: "Running operations",
  close: "Close",
  cancel: "Cancel",
  destroyTitle: (name: string) => `Destroy tenant ${name}?`,
  destroyExplain:
    "This removes its containers, networks and volumes: its database, Redis and media are deleted. It cannot be undone.",
  destroyTypeName: (name: string) => `Type ${name} to confirm`,
  keepData: "Keep the data volumes",
  backups: "Backups",
  noBackups: "No backups yet.",
  backupId: "Backup",
  size: "Size",
  verification: "Verification",
  backUpNow: "Back up now",
  verify: "Verify",
  restore: "Restore…",
  upgrade: "Upgrade…",
  restoreTitle: (name: string, backup: string) => `Restore ${name} from backup ${backup}?`,
  restoreExplain:
    "Restoring in place replaces the tenant's database and media with the backup (a safety backup is taken first). Or give a new tenant's name to restore an independent copy instead.",
  restoreAs: "Restore as new tenant (leave empty to restore in place)",
  restoreSubmit: "Restore",
  upgradeTitle: (name: string) => `Upgrade ${name}?`,
  upgradeExplain:
    "The tenant is backed up first, migrated, and switched to the new release after a short pause; any failure rolls it back automatically.",
  upgradeVersion: "Release version (image tag)",
  upgradeSubmit: "Upgrade",
  settings: "Settings",
  settingsExplain:
    "Applied at once: only the containers a setting changes are re-created; WhatsApp settings go into the tenant's database without a restart. Secrets are never shown back.",
  settingKey: "Setting",
  settingValue: "Value",
  settingNew: "New value",
  settingDefault: "(template default)",
  settingNotSet: "(not set)",
  settingSecretPlaceholder: "enter a new secret",
  settingSave: "Save",
  settingUnset: "Unset",
  settingSaving: "Applying…",
  settingSaved: (recreated: string[]) =>
    recreated.length === 0 ? "Saved." : `Saved; re-created: ${recreated.join(", ")}.`,
  settingUnchanged: "Already had that value.",
  settingsUnavailable: (reason: string) => `WhatsApp settings cannot be read: ${reason}`,
  createdTitle: (name: string) => `Tenant ${name} is ready`,
  createdPassword: "First admin's one-time password (shown only this once):",
  errors: {
    invalid_credentials: "Wrong e-mail or password.",
    rate_limited: "Too many failed sign-ins. Try again later.",
    authentication_required: "Your session ended. Sign in again.",
    forbidden: "Your role does not allow this.",
    network_error: "The control plane cannot be reached.",
    fallback: "Something went wrong.",
  } as Record<string, string>,
} as const;

/** A readable message for an API error id (the server's message when we have none). */
export function errorText(id: string, serverMessage?: string): string {
  return strings.errors[id] ?? serverMessage ?? strings.errors.fallback ?? "";
}

/** 123456789 → "118 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  return `${Math.round(bytes / 1024 ** 2)} MiB`;
}
