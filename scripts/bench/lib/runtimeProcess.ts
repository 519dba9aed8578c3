/**
 * Shared pieces of the benchmarks that run the real runtime in child processes on 127.0.0.1
 * against the local MariaDB and Redis (`ingest.ts`, `realtime.ts`): building the production
 * bundle, the child's environment, the sealed WhatsApp settings, readiness, stopping, cleanup.
 */
import { type ChildProcess, execFileSync, fork } from "node:child_process";
import { once } from "node:events";
import { Server as HttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Session } from "node:inspector";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Redis } from "ioredis";
import type mysql from "mysql2/promise";
import { FieldCipher } from "../../../runtime/src/crypto/fieldCipher.js";
import {
  SEALED_FIELDS,
  SETTINGS_ROW_ID,
} from "../../../runtime/src/integrations/whatsapp/WhatsappSettingsStore.js";

/** The local MariaDB the tests use (TEST_DATABASE_*). */
export const MYSQL = {
  host: process.env.TEST_DATABASE_HOST ?? "127.0.0.1",
  port: Number(process.env.TEST_DATABASE_PORT ?? 3306),
  user: process.env.TEST_DATABASE_USER ?? "root",
  password: process.env.TEST_DATABASE_PASSWORD ?? "",
};
/** The local Redis the tests use (TEST_REDIS_*). */
export const REDIS = {
  host: process.env.TEST_REDIS_HOST ?? "127.0.0.1",
  port: Number(process.env.TEST_REDIS_PORT ?? 6379),
};
/** The bench tenant's WhatsApp phone number id and app secret (webhook signatures). */
export const PHONE_NUMBER_ID = "200000000000002";
export const APP_SECRET = "bench_app_secret_0123456789abcdef";
/** The runtime's production bundle (`npm run build -w @atende/runtime`). */
export const RUNTIME_BUNDLE = fileURLToPath(
  new URL("../../../runtime/dist/main.js", import.meta.url),
);
/** The runtime refuses an empty database password in production; the host's root has none. */
export const RUNTIME_NODE_ENV = MYSQL.password === "" ? "development" : "production";

/** Rebuilds the production bundle (server and inbox assets), so the code measured is the current one. */
export function buildRuntimeBundle(): void {
  execFileSync(
    process.execPath,
    [fileURLToPath(new URL("../../../runtime/scripts/build.mjs", import.meta.url))],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
}

/** IPC message a runtime child answers `{ type: "latencies" }` with. */
export type LatencyMessage = { type: "latencies"; values: number[] };

/**
 * Measures server-side ack latency of every webhook POST the process serves (request event →
 * response finished), by wrapping `http.Server#emit`; the parent collects the figures over IPC
 * (`{ type: "latencies" }`). Installed before the server starts, so the runtime bundle runs
 * unmodified.
 */
export function installLatencyProbe(): void {
  let values: number[] = [];
  const originalEmit = HttpServer.prototype.emit;
  HttpServer.prototype.emit = function emit(
    this: HttpServer,
    event: string | symbol,
    ...args: unknown[]
  ) {
    if (event === "request") {
      const [req, res] = args as [IncomingMessage, ServerResponse];
      if (req.method === "POST" && req.url?.startsWith("/webhooks/whatsapp")) {
        const started = process.hrtime.bigint();
        res.once("finish", () => values.push(Number(process.hrtime.bigint() - started) / 1e6));
      }
    }
    return originalEmit.apply(this, [event, ...args] as Parameters<typeof originalEmit>);
  } as typeof originalEmit;
  process.on("message", (message: { type: string }) => {
    if (message.type !== "latencies") return;
    const taken = values;
    values = [];
    process.send?.({ type: "latencies", values: taken } satisfies LatencyMessage);
  });
}

/** What a child running `installWindowProbe` reports for a measured window. */
export interface WindowReport {
  type: "window";
  /** Share of the window the event loop was busy (1 = CPU-bound on its main thread). */
  eventLoopUtilization: number;
  /** Top functions by self time over the window, when profiling was asked for. */
  profile?: ReturnType<typeof topFunctions>;
}

/**
 * Lets the parent bracket a measured window over IPC: `{ type: "window-start", profile }` starts
 * counting event-loop use (and the V8 CPU profiler), `{ type: "window-end" }` answers a
 * `WindowReport`. Only the window is profiled, not start-up or seeding.
 */
export function installWindowProbe(): void {
  let elu = performance.eventLoopUtilization();
  let session: Session | undefined;
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) => {
      session?.post(method, (error, result) => (error ? reject(error) : resolve(result)));
    });
  process.on("message", (message: { type: string; profile?: boolean }) => {
    if (message.type === "window-start") {
      elu = performance.eventLoopUtilization();
      if (message.profile === true) {
        session = new Session();
        session.connect();
        void post("Profiler.enable").then(() => post("Profiler.start"));
      }
    } else if (message.type === "window-end") {
      const used = performance.eventLoopUtilization(elu).utilization;
      const report: WindowReport = {
        type: "window",
        eventLoopUtilization: Math.round(used * 100) / 100,
      };
      if (session === undefined) {
        process.send?.(report);
        return;
      }
      void post("Profiler.stop").then((result) => {
        session?.disconnect();
        session = undefined;
        const { profile } = result as { profile: CpuProfile };
        process.send?.({ ...report, profile: topFunctions(profile) } satisfies WindowReport);
      });
    }
  });
}

/** Starts a measured window in a child running `installWindowProbe`. */
export function startWindow(child: ChildProcess, profile: boolean): void {
  child.send({ type: "window-start", profile });
}

/** Ends it and returns the child's report. */
export function endWindow(child: ChildProcess): Promise<WindowReport> {
  return ask<WindowReport>(child, { type: "window-end" }, "window");
}

/** The subset of a V8 `.cpuprofile` read here. */
interface CpuProfile {
  nodes: Array<{
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
  }>;
}

/** The functions with the most self time in a CPU profile, as shares of its samples. */
export function topFunctions(profile: CpuProfile, count = 20) {
  const byFunction = new Map<string, number>();
  let samples = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    samples += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.slice(url.lastIndexOf("/") + 1);
    const key = `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
  }
  return [...byFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, hits]) => ({
      function: name,
      selfPercent: Math.round((hits / Math.max(samples, 1)) * 1000) / 10,
    }));
}

/** Sends `request` to a child and resolves with its next message of type `replyType`. */
function ask<T extends { type: string }>(
  child: ChildProcess,
  request: { type: string },
  replyType: T["type"],
): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: T) => {
      if (message?.type !== replyType) return;
      child.off("message", onMessage);
      resolve(message);
    };
    child.on("message", onMessage);
    child.send(request);
  });
}

/** In a child process: the real runtime, the production bundle, configured by env. */
export async function serveRuntime(): Promise<void> {
  installLatencyProbe();
  installWindowProbe();
  // main.js dispatches on argv: no command = serve the roles ROLE names.
  process.argv.splice(2);
  await import(pathToFileURL(RUNTIME_BUNDLE).href);
}

/** The environment of a runtime child, as the control plane sets it on a tenant's containers. */
export function runtimeEnv(options: {
  port: number;
  role: "web" | "worker" | "all";
  database: string;
  redisPrefix: string;
  encryptionKey: string;
  sessionSecret: string;
  publicUrl?: string;
}): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    PORT: String(options.port),
    NODE_ENV: RUNTIME_NODE_ENV,
    ROLE: options.role,
    TENANT_ID: "bench",
    PUBLIC_URL: options.publicUrl ?? `http://127.0.0.1:${options.port}`,
    LOG_LEVEL: "warn",
    DATABASE_HOST: MYSQL.host,
    DATABASE_PORT: String(MYSQL.port),
    DATABASE_NAME: options.database,
    DATABASE_USER: MYSQL.user,
    DATABASE_PASSWORD: MYSQL.password,
    REDIS_HOST: REDIS.host,
    REDIS_PORT: String(REDIS.port),
    REDIS_PREFIX: options.redisPrefix,
    ENCRYPTION_KEY: options.encryptionKey,
    SESSION_SECRET: options.sessionSecret,
    MEDIA_DIR: os.tmpdir(),
  };
}

/**
 * Forks `entry` (a module that serves, e.g. calling `serveRuntime`) with `env` and waits until
 * `readyPath` answers 200; kills it if it exits or never gets ready.
 */
export async function forkServer(options: {
  entry: string;
  args?: string[];
  env: Record<string, string>;
  url: string;
  readyPath: string;
  label: string;
  execArgv?: string[];
}): Promise<ChildProcess> {
  const child = fork(options.entry, options.args ?? [], {
    execArgv: ["--import", "tsx", ...(options.execArgv ?? [])],
    env: options.env,
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`${options.label} exited early (${code})`);
  });
  exited.catch(() => {});
  try {
    await Promise.race([waitFor200(`${options.url}${options.readyPath}`), exited]);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return child;
}

/** Asks a child running `installLatencyProbe` for the ack latencies since the last ask. */
export async function takeLatencies(child: ChildProcess): Promise<number[]> {
  return (await ask<LatencyMessage>(child, { type: "latencies" }, "latencies")).values;
}

/** A free loopback port (released just before the child takes it). */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, "close");
  return port;
}

/** Resolves once `url` answers 200, polling for up to a minute. */
export async function waitFor200(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 in time`);
    await sleep(100);
  }
}

/** Seals and stores the WhatsApp settings the way the settings API does (the bench's tenant). */
export async function configureRuntime(
  admin: mysql.Pool,
  database: string,
  encryptionKey: string,
): Promise<void> {
  const cipher = new FieldCipher(encryptionKey);
  await admin.query(
    `INSERT INTO ??.whatsapp_settings
       (id, phone_number_id, waba_id, graph_api_base_url, graph_api_version,
        access_token_sealed, app_secret_sealed, verify_token_sealed)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      database,
      SETTINGS_ROW_ID,
      PHONE_NUMBER_ID,
      "100000000000001",
      "http://127.0.0.1:9",
      "v24.0",
      cipher.seal(SEALED_FIELDS.accessToken, "EAAbenchtoken000000"),
      cipher.seal(SEALED_FIELDS.appSecret, APP_SECRET),
      cipher.seal(SEALED_FIELDS.verifyToken, "bench-verify"),
    ],
  );
}

/** SIGTERM (the runtime's graceful shutdown), SIGKILL after 15 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Drops the scratch databases and every Redis key under the scratch prefix. */
export async function dropScratch(
  admin: mysql.Pool,
  databases: string[],
  redisPrefix: string,
): Promise<void> {
  for (const name of databases) {
    await admin.query("DROP DATABASE IF EXISTS ??", [name]).catch(() => {});
  }
  const redis = new Redis({ ...REDIS, lazyConnect: true });
  await redis.connect().catch(() => {});
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${redisPrefix}:*`, "COUNT", 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
  redis.disconnect();
}
