import { parseArgs } from "node:util";
import { pino } from "pino";
import { createCloudApiEmulator } from "./createCloudApiEmulator.js";

const usage = `Usage: node --import tsx emulators/whatsapp-cloud/src/main.ts [options]

  --port <n>              port to listen on (default 8900; 0 = any free port)
  --host <addr>           interface (default 127.0.0.1)
  --webhook-url <url>     the app's webhook callback URL
  --app-secret <s>        app secret used to sign webhooks (needed with --webhook-url)
  --verify-token <s>      verify token for the GET handshake (needed with --webhook-url)
  --access-token <s>      the fake access token to accept (default EAAEmulatorAccessToken)
  --phone-number-id <id>  default 200000000000002
  --waba-id <id>          default 100000000000001
  --display-phone <n>     business number digits (default 5511999990000)
  --name <s>              verified business name (default "Atende Demo")
  --auto-approve <ms>     approve new templates by themselves after <ms>
  --log-level <level>     pino level on stderr (default info)
  --help`;

function main(): void {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8900" },
      host: { type: "string", default: "127.0.0.1" },
      "webhook-url": { type: "string" },
      "app-secret": { type: "string" },
      "verify-token": { type: "string" },
      "access-token": { type: "string" },
      "phone-number-id": { type: "string" },
      "waba-id": { type: "string" },
      "display-phone": { type: "string" },
      name: { type: "string" },
      "auto-approve": { type: "string" },
      "log-level": { type: "string", default: "info" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port must be 0-65535, got ${values.port}`);
  const webhookUrl = values["webhook-url"];
  if (
    webhookUrl !== undefined &&
    (values["app-secret"] === undefined || values["verify-token"] === undefined)
  ) {
    fail("--webhook-url needs --app-secret and --verify-token");
  }
  const autoApprove =
    values["auto-approve"] === undefined ? undefined : Number(values["auto-approve"]);
  if (autoApprove !== undefined && (!Number.isInteger(autoApprove) || autoApprove < 0)) {
    fail("--auto-approve must be a number of milliseconds");
  }
  const logger = pino(
    { level: values["log-level"], base: { service: "whatsapp-cloud-emulator" } },
    pino.destination(2),
  );
  const emulator = createCloudApiEmulator({
    host: values.host,
    logger,
    ...(values["access-token"] === undefined ? {} : { accessToken: values["access-token"] }),
    ...(values["phone-number-id"] === undefined
      ? {}
      : { phoneNumberId: values["phone-number-id"] }),
    ...(values["waba-id"] === undefined ? {} : { wabaId: values["waba-id"] }),
    ...(values["display-phone"] === undefined
      ? {}
      : { displayPhoneNumber: values["display-phone"] }),
    ...(values.name === undefined ? {} : { verifiedName: values.name }),
    ...(webhookUrl === undefined
      ? {}
      : {
          webhook: {
            url: webhookUrl,
            appSecret: values["app-secret"] ?? "",
            verifyToken: values["verify-token"] ?? "",
          },
        }),
    ...(autoApprove === undefined ? {} : { settings: { autoApproveTemplatesMs: autoApprove } }),
  });

  emulator.start(port).then(
    (url) => {
      const lines = [
        "WhatsApp Cloud API emulator",
        `  url              ${url}`,
        `  graph base url   ${url}/v24.0   (any vNN.0 works)`,
        `  access token     ${emulator.accessToken}`,
        `  phone number id  ${emulator.phoneNumberId}`,
        `  waba id          ${emulator.wabaId}`,
        `  webhook          ${webhookUrl ?? "(not set: PUT /_emulator/webhook)"}`,
        `  phone page       ${url}/phone`,
        `  control api      ${url}/_emulator/info`,
      ];
      process.stdout.write(`${lines.join("\n")}\n`);
    },
    (error: unknown) => {
      logger.error({ err: error }, "could not start");
      process.exitCode = 1;
    },
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
    setTimeout(() => process.exit(1), 5_000).unref();
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${usage}\n`);
  process.exit(2);
}

main();
