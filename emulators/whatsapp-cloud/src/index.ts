/**
 * @atende/whatsapp-cloud-emulator: a local fake of Meta's WhatsApp Cloud API for tests,
 * benchmarks, demos and the sandbox. Written from protocols.md only; never shipped in the
 * runtime image.
 */

export { EmulatorControl } from "./control/controller.js";
export {
  type CloudApiEmulator,
  type CloudApiEmulatorOptions,
  createCloudApiEmulator,
  randomSecret,
  type SeedTemplate,
  sampleTemplates,
} from "./createCloudApiEmulator.js";
export { GraphError, type GraphErrorBody, metaErrorCatalog, type WebhookError } from "./errors.js";
export {
  compressedTimings,
  defaultSettings,
  type EmulatorSettings,
  type SettingsPatch,
} from "./settings.js";
export type { GraphFaultSpec, WebhookFaultSpec } from "./state/faults.js";
export type { BatchLayout, InboundInput } from "./webhooks/inbound.js";
export type { Delivery, DeliveryState, WebhookTarget } from "./webhooks/sender.js";
export { serializeLikeMeta, signatureHeader } from "./webhooks/signer.js";
