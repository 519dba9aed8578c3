/**
 * @atende/control-plane — the one orchestration path. The CLI, the control-plane API and the
 * dashboard call these functions and nothing deeper (ADR 0001). Importing has no side effects.
 */

export { type BackupAlert, backupAlertsOf } from "./backups/backupAlerts.js";
export type { BackupEntry, BackupKind, BackupStatus } from "./backups/backupCatalog.js";
export type { BackupManifest } from "./backups/backupFormat.js";
export { type DailySchedule, latestSlot, scheduleOf } from "./backups/backupSchedule.js";
export {
  DEFAULT_RETENTION,
  type RetentionPolicy,
  selectBackupsToPrune,
} from "./backups/retention.js";
export {
  BACKUP_STEPS,
  type BackupTenantProps,
  backupTenant,
  type CreatedBackup,
  listBackups,
  pruneBackups,
  retentionPolicyOf,
} from "./commands/backupCreator.js";
export {
  RESTORE_STEPS,
  type RestoredTenant,
  type RestoreTenantProps,
  restoreTenant,
} from "./commands/backupRestorer.js";
export {
  type DueBackupResult,
  type DueBackupsRun,
  runDueBackups,
  scheduledBackupsFailed,
} from "./commands/backupScheduler.js";
export {
  VERIFY_BACKUP_STEPS,
  type VerifiedBackupResult,
  type VerifyBackupProps,
  verifyBackup,
} from "./commands/backupVerifier.js";
export { type DoctorCheck, runDoctor } from "./commands/doctor.js";
export {
  getOperation,
  listOperations,
  type OperationView,
} from "./commands/operationInspector.js";
export { validateEmail, validateTenantName } from "./commands/preflight.js";
export {
  type CreatedStaff,
  createStaff,
  listStaff,
  type StaffView,
} from "./commands/staffAccounts.js";
export {
  CONFIGURE_STEPS,
  type ConfigEntryView,
  type ConfiguredTenant,
  type ConfigureTenantProps,
  configureTenant,
  getTenantConfig,
} from "./commands/tenantConfigurator.js";
export {
  DESTROY_STEPS,
  type DestroyedTenant,
  type DestroyTenantProps,
  destroyTenant,
} from "./commands/tenantDestroyer.js";
export {
  listTenants,
  type ObservedService,
  showTenant,
  type TenantView,
} from "./commands/tenantInspector.js";
export { streamTenantLogs, type TenantLogsProps } from "./commands/tenantLogs.js";
export { startTenant, stopTenant, type TenantPowerProps } from "./commands/tenantPower.js";
export {
  PROVISION_STEPS,
  type ProvisionedTenant,
  type ProvisionTenantProps,
  provisionTenant,
} from "./commands/tenantProvisioner.js";
export { type ContainerStats, type TenantStats, tenantStats } from "./commands/tenantStats.js";
export {
  UPGRADE_STEPS,
  type UpgradeAllProps,
  type UpgradeAllResult,
  type UpgradedTenant,
  type UpgradeTenantProps,
  upgradeAll,
  upgradeTenant,
} from "./commands/tenantUpgrader.js";
export { validateReleaseVersion } from "./commands/upgradePlan.js";
export { type ControlPlaneConfig, loadConfig } from "./config.js";
export { type ControlPlane, openControlPlane } from "./controlPlane.js";
export { AtendeError, categoryOf, type ErrorCategory } from "./errors.js";
export {
  type BuildMode,
  type BuiltImages,
  buildImages,
  IMAGE_BUILD_STEPS,
  probeRegistry,
} from "./images/imageBuilder.js";
export { IMAGE_NAMES, imageReferences } from "./images/imageCatalog.js";
export type { ProgressListener, StepDefinition, StepEvent } from "./operations/operationJournal.js";
export { LABEL, labelFilter, names as dockerNames } from "./orchestration/labels.js";
export { buildTenantSetSpec } from "./orchestration/specs/tenantSetSpec.js";
export { findTenantObjects } from "./orchestration/tenantResources.js";
export { type ServeOptions, type ServingControlPlane, serveControlPlane } from "./serve.js";
export { STAFF_ROLES, type StaffRole } from "./staff/staffRepository.js";
export { listTemplates, loadTemplate, parseTemplate } from "./templates/loadTemplate.js";
export type { Template } from "./templates/templateSchema.js";
export {
  configKeyNames,
  domainOf,
  maskSecret,
  validateConfigValue,
} from "./tenantConfig/configKeys.js";
export { ATENDE_VERSION } from "./version.js";
