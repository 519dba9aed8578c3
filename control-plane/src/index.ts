/**
 * @atende/control-plane — the one orchestration path. The CLI, the control-plane API and the
 * dashboard call these functions and nothing deeper (ADR 0001). Importing has no side effects.
 */

export { type DoctorCheck, runDoctor } from "./commands/doctor.js";
export { validateEmail, validateTenantName } from "./commands/preflight.js";
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
export { listTemplates, loadTemplate, parseTemplate } from "./templates/loadTemplate.js";
export type { Template } from "./templates/templateSchema.js";
export { ATENDE_VERSION } from "./version.js";
