import type Docker from "dockerode";
import { type ControlPlaneConfig, loadConfig } from "./config.js";
import { createLogger, type Logger } from "./logger.js";
import { createDockerClient } from "./orchestration/dockerClient.js";
import { loadMasterKey } from "./secrets/masterKey.js";
import { SecretBox } from "./secrets/secretBox.js";
import { openRegistryStore, type RegistryStore } from "./store/registryStore.js";
import { TenantRepository } from "./store/tenantRepository.js";

/**
 * Everything an operation needs, built once per process: settings, logger, the Docker
 * client, the registry. The CLI, the API server and tests each open one.
 */
export interface ControlPlane {
  config: ControlPlaneConfig;
  logger: Logger;
  docker: Docker;
  store: RegistryStore;
  tenants: TenantRepository;
  /** The secret box under the master key (created on first use). */
  secretBox(): Promise<SecretBox>;
  close(): Promise<void>;
}

/** Opens the control plane from environment-style settings. */
export async function openControlPlane(
  options: { env?: Record<string, string | undefined>; logger?: Logger } = {},
): Promise<ControlPlane> {
  const config = loadConfig(options.env);
  const logger = options.logger ?? createLogger(config);
  const docker = createDockerClient(config);
  const store = await openRegistryStore(config);
  let box: Promise<SecretBox> | undefined;
  return {
    config,
    logger,
    docker,
    store,
    tenants: new TenantRepository(store.db),
    secretBox() {
      box ??= loadMasterKey(config).then(({ key }) => new SecretBox(key));
      return box;
    },
    close: () => store.close(),
  };
}
