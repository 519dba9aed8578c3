import { createServer, type Server } from "node:http";
import { isIPv4 } from "node:net";
import {
  AtendeError,
  dockerNames,
  findTenantObjects,
  showTenant,
  type TenantView,
} from "@atende/control-plane";
import {
  type CloudApiEmulator,
  createCloudApiEmulator,
  randomSecret,
} from "@atende/whatsapp-cloud-emulator";
import { EXIT_CODES, ExitError, usageError } from "../../errors.js";
import type { Io } from "../../lib/io.js";
import { printJson } from "../../lib/output.js";
import { prompts } from "../../lib/prompts.js";
import { interruptSignal, withControlPlane } from "../../lib/session.js";
import { type ConnectionTestResult, TenantAdminClient } from "./tenantWiring.js";

/** The Graph API version the sandbox tells tenants to use (the emulator accepts any vNN.0). */
const GRAPH_VERSION = "v24.0";

export interface SandboxOptions {
  port?: number;
  host?: string;
  webhookUrl?: string;
  tenant?: string;
  adminEmail?: string;
  json?: boolean;
}

/** Where a tenant is reached from the host, and where its app container reaches the host. */
interface TenantTarget {
  view: TenantView;
  /** `http://127.0.0.1:<published port>`: the tenant's API and webhook, from the host. */
  hostUrl: string;
  /** The gateway of the tenant's edge bridge: the host's address as the app container sees it. */
  edgeGateway: string;
}

/**
 * `atende sandbox`: runs the WhatsApp Cloud API emulator in the foreground and, with `--tenant`,
 * wires that tenant to it both ways (its app calls the emulator's Graph API; the emulator posts
 * signed webhooks to the tenant). Stops on Ctrl-C with exit code 130.
 */
export async function sandbox(io: Io, options: SandboxOptions): Promise<void> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 8900;
  if (options.webhookUrl !== undefined && !isHttpUrl(options.webhookUrl)) {
    throw usageError(
      `--webhook-url must be an http(s) URL, got "${options.webhookUrl}".`,
      "For example --webhook-url http://127.0.0.1:3000/webhooks/whatsapp",
    );
  }
  const target = options.tenant === undefined ? undefined : await resolveTenant(io, options.tenant);
  const credentials =
    target === undefined
      ? undefined
      : await adminCredentials(io, options.adminEmail ?? target.view.adminEmail);

  const appSecret = randomSecret();
  const verifyToken = randomSecret();
  const webhookUrl =
    options.webhookUrl ??
    (target === undefined ? undefined : `${target.hostUrl}/webhooks/whatsapp`);
  const emulator = createCloudApiEmulator({
    host,
    logLevel: "warn",
    ...(webhookUrl === undefined ? {} : { webhook: { url: webhookUrl, appSecret, verifyToken } }),
  });
  const extraServers: Server[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(extraServers.map(closeServer));
    await emulator.stop();
  };

  try {
    const url = await listen(emulator, port, host);
    let graphBaseUrl = url;
    let connection: ConnectionTestResult | undefined;
    let handshake: boolean | undefined;
    if (target !== undefined && credentials !== undefined) {
      // The app container cannot reach the host's loopback: it calls the host on its edge
      // bridge's gateway, an address of a bridge atende created for this tenant.
      if (!isWildcard(host)) {
        extraServers.push(await listenAlso(emulator, port, target.edgeGateway));
      }
      graphBaseUrl = `http://${target.edgeGateway}:${port}`;
      const admin = new TenantAdminClient(target.hostUrl);
      const { mustChangePassword } = await admin.logIn(credentials.email, credentials.password);
      if (mustChangePassword) {
        await admin.changePassword(
          credentials.password,
          await newAdminPassword(io, credentials.email),
        );
      }
      await admin.saveWhatsappSettings({
        phoneNumberId: emulator.phoneNumberId,
        wabaId: emulator.wabaId,
        graphApiBaseUrl: graphBaseUrl,
        graphApiVersion: GRAPH_VERSION,
        accessToken: emulator.accessToken,
        appSecret,
        verifyToken,
      });
      connection = await admin.testConnection();
      handshake = (await emulator.control.verifyWebhook()).accepted;
    }

    const info = {
      url,
      graphBaseUrl,
      graphApiVersion: GRAPH_VERSION,
      accessToken: emulator.accessToken,
      phoneNumberId: emulator.phoneNumberId,
      wabaId: emulator.wabaId,
      appSecret,
      verifyToken,
      webhookUrl: webhookUrl ?? null,
      phoneUrl: `${url}/phone`,
      controlApiUrl: `${url}/_emulator`,
      ...(target === undefined
        ? {}
        : {
            tenant: target.view.name,
            inboxUrl: target.view.url,
            connectionTest: connection ?? null,
            webhookHandshake: handshake ?? null,
          }),
    };
    if (options.json) printJson(io, info);
    else printInfo(io, info, connection, handshake);
    if (connection !== undefined && !connection.ok) {
      io.stderr.write(
        `! The tenant could not reach the emulator's Graph API at ${graphBaseUrl}: ${connection.reason}\n  → Check that nothing (a firewall) blocks containers from reaching the host on ${target?.edgeGateway}:${port}.\n`,
      );
    }
    if (handshake === false) {
      io.stderr.write(
        `! The tenant refused the webhook verification handshake at ${webhookUrl}.\n  → Check \`atende tenant logs ${target?.view.name}\`.\n`,
      );
    }
    io.stdout.write("Press Ctrl-C to stop.\n");
    await waitForInterrupt();
  } finally {
    await stop();
  }
  io.stderr.write("Sandbox stopped.\n");
  throw new ExitError(EXIT_CODES.cancelled);
}

async function resolveTenant(io: Io, name: string): Promise<TenantTarget> {
  return withControlPlane(io, async (cp) => {
    const view = await showTenant(cp, name);
    if (view.observed !== "running") {
      throw new AtendeError(
        "tenant_not_ready",
        `Tenant ${name} is not running (${view.observed}).`,
        {
          hint: `Start it first: atende tenant start ${name}`,
        },
      );
    }
    const record = await cp.tenants.find(name);
    const publishHost = record?.publishHost ?? "127.0.0.1";
    const reachable = isWildcard(publishHost) ? "127.0.0.1" : publishHost;
    const objects = await findTenantObjects(cp.docker, name);
    const edge = objects.networks.find((network) => network.Name === dockerNames.edgeNetwork(name));
    const gateway = edge?.IPAM?.Config?.find((config) => isIPv4(config.Gateway ?? ""))?.Gateway;
    if (gateway === undefined) {
      throw new AtendeError(
        "tenant_unhealthy",
        `Tenant ${name} has no edge network with an IPv4 gateway, so its app cannot reach the sandbox.`,
        { hint: `Run \`atende tenant create ${name}\` again to complete its networks.` },
      );
    }
    return { view, hostUrl: `http://${reachable}:${view.hostPort}`, edgeGateway: gateway };
  });
}

/** The admin to act as: the password from ATENDE_ADMIN_PASSWORD, or asked for on a terminal. */
async function adminCredentials(
  io: Io,
  email: string,
): Promise<{ email: string; password: string }> {
  const fromEnv = io.env.ATENDE_ADMIN_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== "") return { email, password: fromEnv };
  if (!io.interactive) {
    throw usageError(
      `The sandbox signs in to the tenant as ${email} to save its WhatsApp settings, and needs that admin's password.`,
      "Set ATENDE_ADMIN_PASSWORD (kept off the command line on purpose), or run it on a terminal to be asked.",
    );
  }
  return { email, password: await prompts.secret(`Password of ${email}`) };
}

/**
 * A one-time password must be replaced before the admin API answers anything else: the new one
 * comes from ATENDE_NEW_ADMIN_PASSWORD (how `npm run demo` does it) or is asked for on a terminal.
 */
async function newAdminPassword(io: Io, email: string): Promise<string> {
  const fromEnv = io.env.ATENDE_NEW_ADMIN_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  if (!io.interactive) {
    throw usageError(
      `${email} still has the one-time password, which must be replaced before the tenant's settings can be changed.`,
      "Sign in to the inbox once and choose a new password, then set ATENDE_ADMIN_PASSWORD to it; or set ATENDE_NEW_ADMIN_PASSWORD and the sandbox replaces it for you.",
    );
  }
  return prompts.secret(`${email} still has its one-time password. Choose a new one`);
}

async function listen(emulator: CloudApiEmulator, port: number, host: string): Promise<string> {
  try {
    return await emulator.start(port);
  } catch (error) {
    throw listenError(error, host, port);
  }
}

/** Serves the same emulator on one more address (same state, same port). */
async function listenAlso(emulator: CloudApiEmulator, port: number, host: string): Promise<Server> {
  const server = createServer(emulator.app);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
  } catch (error) {
    // The caller stops the emulator (its finally), whichever address failed.
    throw listenError(error, host, port);
  }
  server.keepAliveTimeout = 5_000;
  return server;
}

function listenError(error: unknown, host: string, port: number): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") {
    return new AtendeError("port_conflict", `Port ${port} is already in use on ${host}.`, {
      hint: "Stop whatever uses it (another sandbox?) or choose another with --port.",
    });
  }
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return usageError(`${host} is not an address of this machine.`, "Pass --host 127.0.0.1.");
  }
  return error as Error;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

const isWildcard = (host: string) => host === "0.0.0.0" || host === "::";

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** Resolves on Ctrl-C (or SIGTERM). */
async function waitForInterrupt(): Promise<void> {
  const interrupt = interruptSignal();
  try {
    await new Promise((resolve) =>
      interrupt.signal.addEventListener("abort", resolve, { once: true }),
    );
  } finally {
    interrupt.dispose();
  }
}

function printInfo(
  io: Io,
  info: {
    url: string;
    graphBaseUrl: string;
    accessToken: string;
    phoneNumberId: string;
    wabaId: string;
    appSecret: string;
    verifyToken: string;
    webhookUrl: string | null;
    phoneUrl: string;
    controlApiUrl: string;
    tenant?: string;
    inboxUrl?: string;
  },
  connection: ConnectionTestResult | undefined,
  handshake: boolean | undefined,
): void {
  const lines = [
    "WhatsApp Cloud API sandbox (an emulator of Meta's API; nothing leaves this machine)",
    `  graph base url   ${info.graphBaseUrl}   (version ${GRAPH_VERSION}; any vNN.0 works)`,
    `  access token     ${info.accessToken}`,
    `  phone number id  ${info.phoneNumberId}`,
    `  waba id          ${info.wabaId}`,
    `  app secret       ${info.appSecret}`,
    `  verify token     ${info.verifyToken}`,
    `  webhook          ${info.webhookUrl ?? "(not set: --webhook-url, --tenant or PUT /_emulator/webhook)"}`,
    `  phone page       ${info.phoneUrl}`,
    `  control api      ${info.controlApiUrl}/info`,
  ];
  if (info.tenant !== undefined) {
    lines.push(
      "",
      `Tenant ${info.tenant} is wired to it: its WhatsApp settings now point at this sandbox.`,
      `  inbox            ${info.inboxUrl}`,
      `  test connection  ${
        connection === undefined
          ? "-"
          : connection.ok
            ? `ok (${connection.verifiedName ?? "?"}, ${connection.displayPhoneNumber ?? "?"})`
            : `FAILED: ${connection.reason}`
      }`,
      `  webhook check    ${handshake ? "ok (verify token accepted)" : "FAILED"}`,
    );
  }
  io.stdout.write(`${lines.join("\n")}\n`);
}
