import { randomBytes } from "node:crypto";
import {
  type CloudApiEmulator,
  compressedTimings,
  createCloudApiEmulator,
  type SettingsPatch,
} from "@atende/whatsapp-cloud-emulator";
import { getTestServer, type TestComponents, type TestServer } from "./support.js";
import { configureWhatsapp, type TestWhatsappSecrets } from "./whatsapp.js";
import { startTestWorkers } from "./workers.js";

/** A runtime (web + workers) wired to a WhatsApp Cloud API emulator, both on loopback. */
export interface WhatsappStack {
  server: TestServer;
  emulator: CloudApiEmulator;
  secrets: TestWhatsappSecrets;
  /** Stops workers, the emulator and the server (not the components). */
  close(): Promise<void>;
}

/**
 * Starts the runtime's web server and workers on the test components and an emulator whose
 * webhooks go to that server and whose Graph API the runtime calls, with the tenant's WhatsApp
 * settings pointing at it. Statuses are only sent when a test asks (no automatic sent/delivered).
 */
export async function startWhatsappStack(
  components: TestComponents,
  options: {
    settings?: SettingsPatch;
    mediaRetryDelayMs?: number;
    sendRetryDelayMs?: number;
    /** Built web assets, for browser tests (`scripts/build.mjs --web-only`). */
    publicDir?: string;
  } = {},
): Promise<WhatsappStack> {
  const retryDelays = {
    ...(options.mediaRetryDelayMs === undefined
      ? {}
      : { mediaRetryDelayMs: options.mediaRetryDelayMs }),
    ...(options.sendRetryDelayMs === undefined
      ? {}
      : { sendRetryDelayMs: options.sendRetryDelayMs }),
  };
  const server = await getTestServer(components, {
    retryDelays,
    ...(options.publicDir === undefined ? {} : { publicDir: options.publicDir }),
  });
  const appSecret = randomBytes(16).toString("hex");
  const verifyToken = `verify-${randomBytes(6).toString("hex")}`;
  const emulator = createCloudApiEmulator({
    webhook: { url: `${server.url}/webhooks/whatsapp`, appSecret, verifyToken },
    settings: {
      ...compressedTimings,
      autoStatuses: { intervalMs: 5, sequence: [] },
      ...options.settings,
    },
  });
  await emulator.start();
  const secrets = await configureWhatsapp(
    components,
    {
      phoneNumberId: emulator.phoneNumberId,
      wabaId: emulator.wabaId,
      graphApiBaseUrl: emulator.url,
      graphApiVersion: "v24.0",
      accessToken: emulator.accessToken,
      appSecret,
      verifyToken,
    },
    server.whatsappSettings,
  );
  const workers = startTestWorkers(components, server.queues, retryDelays);
  return {
    server,
    emulator,
    secrets,
    close: async () => {
      await workers.close();
      await emulator.stop();
      await server.close();
    },
  };
}
