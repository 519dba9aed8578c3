/**
 * `npm run bench:ingest`: webhook ingest of one runtime against the real MariaDB and Redis
 * (issue 3 targets, performance.md G1/G2), printed as one JSON document.
 *
 * For each server, in turn, in a child process on 127.0.0.1 with a scratch database:
 * - `runtime`: the production bundle (`runtime/dist/main.js`, rebuilt first), role `web` (Express +
 *   Socket.IO; the WhatsApp webhook: HMAC on the raw bytes, INSERT IGNORE into the inbox, 200,
 *   then batched BullMQ jobs), or `all` with BENCH_WORKERS=1 (processing in the same process);
 * - `baseline`: a bare Express + mysql2 handler doing the same HMAC and one INSERT IGNORE per
 *   webhook, so the result reads as a ratio to what this machine can do;
 * the parent sends signed webhooks at a fixed rate (open loop) for BENCH_SECONDS at each rate of
 * BENCH_RATES (default 80 and 1000 msg/s), 10% of them duplicated deliveries, then a short
 * closed-loop saturation run. Ack latency is measured on both sides: server (request received →
 * response finished, what Meta's timeout sees minus the network) and client (loopback included).
 * At the end the rows are counted: every unique message stored once, none lost, none duplicated.
 *
 * Env: BENCH_SECONDS (60), BENCH_RATES ("80,1000"), BENCH_DUPLICATE_RATIO (0.1),
 * BENCH_WARMUP_SECONDS (5, at the highest rate, not measured),
 * BENCH_SATURATION_SECONDS (5), BENCH_CONCURRENCY (32, saturation), BENCH_WORKERS (0: the
 * runtime child also runs the BullMQ workers when 1), TEST_DATABASE_* / TEST_REDIS_* as the tests.
 */
import { type ChildProcess, execFileSync, fork } from "node:child_process";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { once } from "node:events";
import {
  Agent,
  Server as HttpServer,
  type IncomingMessage,
  request,
  type ServerResponse,
} from "node:http";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import express from "express";
import { Redis } from "ioredis";
import mysql from "mysql2/promise";
import { FieldCipher } from "../../runtime/src/crypto/fieldCipher.js";
import {
  SEALED_FIELDS,
  SETTINGS_ROW_ID,
} from "../../runtime/src/integrations/whatsapp/WhatsappSettingsStore.js";

const MYSQL = {
  host: process.env.TEST_DATABASE_HOST ?? "127.0.0.1",
  port: Number(process.env.TEST_DATABASE_PORT ?? 3306),
  user: process.env.TEST_DATABASE_USER ?? "root",
  password: process.env.TEST_DATABASE_PASSWORD ?? "",
};
const REDIS = {
  host: process.env.TEST_REDIS_HOST ?? "127.0.0.1",
  port: Number(process.env.TEST_REDIS_PORT ?? 6379),
};
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const RATES = (process.env.BENCH_RATES ?? "80,1000").split(",").map(Number);
const DUPLICATE_RATIO = Number(process.env.BENCH_DUPLICATE_RATIO ?? 0.1);
const SATURATION_SECONDS = Number(process.env.BENCH_SATURATION_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const WORKERS = process.env.BENCH_WORKERS === "1";
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const PHONE_NUMBER_ID = "200000000000002";
const APP_SECRET = "bench_app_secret_0123456789abcdef";
const RUNTIME_BUNDLE = fileURLToPath(new URL("../../runtime/dist/main.js", import.meta.url));

type ServerKind = "runtime" | "baseline";
type ChildMessage = { type: "latencies"; values: number[] };

// ---------------------------------------------------------------- child: the servers under test

/**
 * Measures server-side ack latency of every webhook POST the process serves (request event →
 * response finished), by wrapping `http.Server#emit`; the parent collects the figures over IPC.
 * Installed before the server starts, so the runtime bundle runs unmodified.
 */
function installLatencyProbe(): void {
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
    process.send?.({ type: "latencies", values: taken } satisfies ChildMessage);
  });
}

/** The real runtime: the production bundle (`runtime/dist/main.js`), configured by env. */
async function serveRuntime(): Promise<void> {
  installLatencyProbe();
  // main.js dispatches on argv: no command = serve the roles ROLE names.
  process.argv.splice(2);
  await import(pathToFileURL(RUNTIME_BUNDLE).href);
}

/** The baseline: bare Express + mysql2, the same work per webhook without the runtime around it. */
async function serveBaseline(database: string): Promise<void> {
  installLatencyProbe();
  const pool = mysql.createPool({ ...MYSQL, database, connectionLimit: 5, charset: "utf8mb4" });
  await pool.query(
    `CREATE TABLE IF NOT EXISTS baseline_inbox (
       id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
       event_key VARCHAR(191) NOT NULL UNIQUE,
       payload JSON NOT NULL,
       received_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
     ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  );
  const app = express();
  app.get("/ready", (_req, res) => {
    res.status(200).end();
  });
  app.post(
    "/webhooks/whatsapp",
    express.raw({ type: () => true, limit: "4mb" }),
    async (req, res) => {
      const raw = req.body as Buffer;
      const expected = Buffer.from(
        `sha256=${createHmac("sha256", APP_SECRET).update(raw).digest("hex")}`,
      );
      const received = Buffer.from(String(req.headers["x-hub-signature-256"] ?? ""));
      if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
        res.status(401).end();
        return;
      }
      const body = JSON.parse(raw.toString("utf8")) as {
        entry: Array<{ changes: Array<{ value: { messages: Array<{ id: string }> } }> }>;
      };
      const message = body.entry[0]?.changes[0]?.value.messages[0];
      await pool.execute("INSERT IGNORE INTO baseline_inbox (event_key, payload) VALUES (?, ?)", [
        `m:${message?.id}`,
        JSON.stringify(message),
      ]);
      res.status(200).end();
    },
  );
  const server = app.listen(Number(process.env.PORT), "127.0.0.1");
  await once(server, "listening");
  process.once("SIGTERM", () => {
    server.closeAllConnections();
    server.close();
    void pool.end().then(() => process.exit(0));
  });
}

// ---------------------------------------------------------------- parent: load and verification

/** A signed webhook delivery, ready to send. */
interface Delivery {
  body: Buffer;
  signature: string;
}

let sequence = 0;
function newDelivery(): Delivery {
  sequence += 1;
  const wamid = `wamid.BENCH${process.pid}${sequence.toString().padStart(9, "0")}`;
  const payload = {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "100000000000001",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "5511999990000", phone_number_id: PHONE_NUMBER_ID },
              contacts: [
                {
                  profile: { name: "Cliente Benchmark" },
                  wa_id: `55119${(sequence % 5000).toString().padStart(8, "0")}`,
                },
              ],
              messages: [
                {
                  from: `55119${(sequence % 5000).toString().padStart(8, "0")}`,
                  id: wamid,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: "text",
                  text: {
                    body: "Ol\u00e1! Gostaria de saber o status do meu pedido n\u00ba 12345.",
                  },
                },
              ],
            },
          },
        ],
      },
    ],
  };
  // Meta escapes non-ASCII as \uXXXX.
  const text = JSON.stringify(payload).replace(
    /[\u0080-\uffff]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  const body = Buffer.from(text);
  return {
    body,
    signature: `sha256=${createHmac("sha256", APP_SECRET).update(body).digest("hex")}`,
  };
}

interface LoadResult {
  sent: number;
  uniqueSent: number;
  duplicatesSent: number;
  statuses: Record<string, number>;
  clientLatencies: number[];
  seconds: number;
}

/** Sends one delivery; resolves with its status (0 on a network error) and client latency. */
function post(agent: Agent, url: URL, delivery: Delivery): Promise<[number, number]> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: {
          "Content-Type": "application/json",
          "Content-Length": delivery.body.length,
          "X-Hub-Signature-256": delivery.signature,
          "User-Agent": "facebookexternalua",
        },
      },
      (res) => {
        res.resume();
        res.on("end", () =>
          resolve([res.statusCode ?? 0, Number(process.hrtime.bigint() - started) / 1e6]),
        );
      },
    );
    req.on("error", () => resolve([0, Number(process.hrtime.bigint() - started) / 1e6]));
    req.end(delivery.body);
  });
}

/** Picks the next delivery: a new one, or (DUPLICATE_RATIO of the time) a recent one again. */
function nextDelivery(recent: Delivery[], counters: { unique: number; duplicates: number }) {
  if (recent.length > 0 && Math.random() < DUPLICATE_RATIO) {
    counters.duplicates += 1;
    return recent[Math.floor(Math.random() * recent.length)] as Delivery;
  }
  const delivery = newDelivery();
  counters.unique += 1;
  recent.push(delivery);
  if (recent.length > 200) recent.shift();
  return delivery;
}

/** Open loop: `rate` deliveries per second for `seconds`, whatever the server's speed. */
async function runAtRate(baseUrl: string, rate: number, seconds: number): Promise<LoadResult> {
  const url = new URL("/webhooks/whatsapp", baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const counters = { unique: 0, duplicates: 0 };
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const recent: Delivery[] = [];
  const inFlight = new Set<Promise<void>>();
  const total = Math.round(rate * seconds);
  const started = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      while (sent < due) {
        sent += 1;
        const pending = post(agent, url, nextDelivery(recent, counters)).then(([status, ms]) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          latencies.push(ms);
          inFlight.delete(pending);
        });
        inFlight.add(pending);
      }
      if (sent >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(inFlight);
  agent.destroy();
  return {
    sent,
    uniqueSent: counters.unique,
    duplicatesSent: counters.duplicates,
    statuses,
    clientLatencies: latencies,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Closed loop: CONCURRENCY senders back to back for `seconds`; the server's capacity. */
async function runSaturated(baseUrl: string, seconds: number): Promise<LoadResult> {
  const url = new URL("/webhooks/whatsapp", baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const counters = { unique: 0, duplicates: 0 };
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const recent: Delivery[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let sent = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        sent += 1;
        const [status, ms] = await post(agent, url, nextDelivery(recent, counters));
        statuses[status] = (statuses[status] ?? 0) + 1;
        latencies.push(ms);
      }
    }),
  );
  agent.destroy();
  return {
    sent,
    uniqueSent: counters.unique,
    duplicatesSent: counters.duplicates,
    statuses,
    clientLatencies: latencies,
    seconds: (performance.now() - started) / 1000,
  };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const value = sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return Math.round(value * 100) / 100;
}

const summary = (values: number[]) => ({
  p50: percentile(values, 50),
  p90: percentile(values, 90),
  p99: percentile(values, 99),
  max: percentile(values, 100),
});

/** A free loopback port (released just before the child takes it). */
async function freePort(): Promise<number> {
  const probe = createNetServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, "close");
  return port;
}

/** Resolves once `url` answers 200, polling for up to a minute. */
async function waitFor200(url: string): Promise<void> {
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
async function configureRuntime(
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

interface StartedChild {
  child: ChildProcess;
  url: string;
  latencies(): Promise<number[]>;
}

async function startChild(
  kind: ServerKind,
  admin: mysql.Pool,
  database: string,
  redisPrefix: string,
): Promise<StartedChild> {
  const port = await freePort();
  const encryptionKey = randomBytes(32).toString("base64");
  const env: Record<string, string> = {
    ...process.env,
    PORT: String(port),
    NODE_ENV: "production",
    ROLE: WORKERS ? "all" : "web",
    TENANT_ID: "bench",
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: "warn",
    DATABASE_HOST: MYSQL.host,
    DATABASE_PORT: String(MYSQL.port),
    DATABASE_NAME: database,
    DATABASE_USER: MYSQL.user,
    DATABASE_PASSWORD: MYSQL.password,
    REDIS_HOST: REDIS.host,
    REDIS_PORT: String(REDIS.port),
    REDIS_PREFIX: redisPrefix,
    ENCRYPTION_KEY: encryptionKey,
    SESSION_SECRET: randomBytes(48).toString("base64"),
    MEDIA_DIR: os.tmpdir(),
  };
  // The runtime refuses an empty database password in production; the host's root has none.
  if (MYSQL.password === "") env.NODE_ENV = "development";
  const child = fork(fileURLToPath(import.meta.url), ["--serve", kind, database], {
    execArgv: ["--import", "tsx"],
    env,
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`${kind} server exited early (${code})`);
  });
  exited.catch(() => {});
  try {
    await Promise.race([waitFor200(kind === "runtime" ? `${url}/readyz` : `${url}/ready`), exited]);
    if (kind === "runtime") await configureRuntime(admin, database, encryptionKey);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    child,
    url,
    latencies: () =>
      new Promise((resolve) => {
        child.once("message", (message: ChildMessage) => resolve(message.values));
        child.send({ type: "latencies" });
      }),
  };
}

async function benchServer(
  kind: ServerKind,
  admin: mysql.Pool,
  database: string,
  redisPrefix: string,
) {
  const started = await startChild(kind, admin, database, redisPrefix);
  try {
    const { url } = started;
    // Warm-up at the highest rate (JIT, connection pools, settings cache): measured runs start
    // from a warm process, as a long-running runtime is. Counted in verification, not in latency.
    const warmUp = await runAtRate(url, Math.max(...RATES), WARMUP_SECONDS);
    await started.latencies();
    const phases: Record<string, PhaseResult> = {};
    let uniqueSent = warmUp.uniqueSent;
    let nonOk = warmUp.sent - (warmUp.statuses["200"] ?? 0);
    for (const rate of RATES) {
      const load = await runAtRate(url, rate, SECONDS);
      const server = await started.latencies();
      uniqueSent += load.uniqueSent;
      nonOk += load.sent - (load.statuses["200"] ?? 0);
      phases[`${rate}`] = {
        targetRate: rate,
        achievedRate: Math.round(load.sent / load.seconds),
        seconds: Math.round(load.seconds * 10) / 10,
        deliveries: load.sent,
        duplicatesSent: load.duplicatesSent,
        statuses: load.statuses,
        serverAckMs: summary(server),
        clientAckMs: summary(load.clientLatencies),
      };
    }
    const saturated = await runSaturated(url, SATURATION_SECONDS);
    const saturatedServer = await started.latencies();
    uniqueSent += saturated.uniqueSent;
    nonOk += saturated.sent - (saturated.statuses["200"] ?? 0);
    const processing =
      kind === "runtime" && WORKERS ? await waitForProcessing(admin, database) : undefined;
    return {
      uniqueSent,
      nonOk,
      result: {
        ...(processing === undefined ? {} : { processing }),
        rates: phases,
        saturation: {
          concurrency: CONCURRENCY,
          seconds: Math.round(saturated.seconds * 10) / 10,
          throughput: Math.round(saturated.sent / saturated.seconds),
          statuses: saturated.statuses,
          serverAckMs: summary(saturatedServer),
          clientAckMs: summary(saturated.clientLatencies),
        },
      },
    };
  } finally {
    await stopChild(started.child);
  }
}

/**
 * With workers running: how long the backlog of stored events takes to be processed after the
 * load stops (up to five minutes), and how many messages the processing stored.
 */
async function waitForProcessing(admin: mysql.Pool, database: string) {
  const started = performance.now();
  let pending = 0;
  do {
    const [rows] = await admin.query(
      "SELECT COUNT(*) AS pending FROM ??.whatsapp_inbox_events WHERE processed_at IS NULL",
      [database],
    );
    pending = Number((rows as Array<{ pending: number }>)[0]?.pending ?? 0);
    if (pending > 0) await sleep(500);
  } while (pending > 0 && performance.now() - started < 300_000);
  const [messages] = await admin.query("SELECT COUNT(*) AS n FROM ??.messages", [database]);
  return {
    drainSecondsAfterLoad: Math.round((performance.now() - started) / 100) / 10,
    unprocessedAtEnd: pending,
    messagesStored: Number((messages as Array<{ n: number }>)[0]?.n ?? 0),
  };
}

interface PhaseResult {
  targetRate: number;
  achievedRate: number;
  seconds: number;
  deliveries: number;
  duplicatesSent: number;
  statuses: Record<string, number>;
  serverAckMs: ReturnType<typeof summary>;
  clientAckMs: ReturnType<typeof summary>;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Rows stored, distinct keys among them. */
async function countRows(
  admin: mysql.Pool,
  sql: string,
  database: string,
): Promise<{ total: number; distinctKeys: number }> {
  const [rows] = await admin.query(sql, [database]);
  const [row] = rows as Array<{ total: number | string; distinctKeys: number | string }>;
  return { total: Number(row?.total ?? 0), distinctKeys: Number(row?.distinctKeys ?? 0) };
}

async function main(): Promise<void> {
  // Measure the production bundle of the code as it is now.
  execFileSync(
    process.execPath,
    [fileURLToPath(new URL("../../runtime/scripts/build.mjs", import.meta.url))],
    {
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const suffix = randomBytes(4).toString("hex");
  const databases = { runtime: `atende_bench_${suffix}`, baseline: `atende_bench_${suffix}_base` };
  const redisPrefix = `atende_bench_${suffix}`;
  const admin = mysql.createPool({ ...MYSQL, connectionLimit: 2 });
  const redis = new Redis({ ...REDIS, lazyConnect: true });
  try {
    for (const name of Object.values(databases)) {
      await admin.query("CREATE DATABASE ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", [
        name,
      ]);
    }
    const runtime = await benchServer("runtime", admin, databases.runtime, redisPrefix);
    const runtimeRows = await countRows(
      admin,
      "SELECT COUNT(*) AS total, COUNT(DISTINCT event_key) AS distinctKeys FROM ??.whatsapp_inbox_events WHERE kind = 'message'",
      databases.runtime,
    );
    const baseline = await benchServer("baseline", admin, databases.baseline, redisPrefix);
    const baselineRows = await countRows(
      admin,
      "SELECT COUNT(*) AS total, COUNT(DISTINCT event_key) AS distinctKeys FROM ??.baseline_inbox",
      databases.baseline,
    );

    const verify = (
      uniqueSent: number,
      nonOk: number,
      rows: { total: number; distinctKeys: number },
    ) => ({
      uniqueMessagesSent: uniqueSent,
      rowsStored: rows.total,
      lost: uniqueSent - rows.distinctKeys,
      duplicated: rows.total - rows.distinctKeys,
      non200: nonOk,
    });
    const ratio = (a: number | undefined, b: number | undefined) =>
      a === undefined || b === undefined || b === 0 ? null : Math.round((a / b) * 100) / 100;
    const cpus = os.cpus();
    console.log(
      JSON.stringify(
        {
          benchmark: "ingest",
          machine: {
            cpus: cpus.length,
            cpuModel: cpus[0]?.model ?? "unknown",
            memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
            node: process.version,
          },
          settings: {
            secondsPerRate: SECONDS,
            rates: RATES,
            duplicateRatio: DUPLICATE_RATIO,
            warmUpSeconds: WARMUP_SECONDS,
            saturationSeconds: SATURATION_SECONDS,
            saturationConcurrency: CONCURRENCY,
            runtimeRole: WORKERS ? "all (web + BullMQ workers)" : "web",
            // The runtime refuses an empty database password in production (the host's root has none).
            runtimeNodeEnv: MYSQL.password === "" ? "development" : "production",
            runtimeArtifact: "runtime/dist/main.js (production bundle)",
            loadGenerator:
              "same host, separate process, open loop, keep-alive HTTP/1.1, one message per webhook",
          },
          runtime: {
            ...runtime.result,
            verification: verify(runtime.uniqueSent, runtime.nonOk, runtimeRows),
          },
          baseline: {
            description:
              "bare Express + mysql2: raw body, HMAC, one INSERT IGNORE per webhook, 200",
            ...baseline.result,
            verification: verify(baseline.uniqueSent, baseline.nonOk, baselineRows),
          },
          ratiosRuntimeOverBaseline: {
            serverAckP99: Object.fromEntries(
              RATES.map((rate) => [
                `${rate}`,
                ratio(
                  runtime.result.rates[`${rate}`]?.serverAckMs.p99,
                  baseline.result.rates[`${rate}`]?.serverAckMs.p99,
                ),
              ]),
            ),
            saturationThroughput: ratio(
              runtime.result.saturation.throughput,
              baseline.result.saturation.throughput,
            ),
          },
          goals: {
            sustainedMsgPerSecond: 1000,
            serverAckP99MsAt80: 10,
            serverAckP99MsAt1000: 25,
            serverAckP50Ms: 2,
            lost: 0,
            duplicated: 0,
          },
        },
        null,
        2,
      ),
    );
  } finally {
    for (const name of Object.values(databases)) {
      await admin.query("DROP DATABASE IF EXISTS ??", [name]).catch(() => {});
    }
    await admin.end();
    await redis.connect().catch(() => {});
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${redisPrefix}:*`, "COUNT", 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
    redis.disconnect();
  }
}

const [flag, kind, database] = process.argv.slice(2);
if (flag === "--serve" && kind === "runtime") {
  await serveRuntime();
} else if (flag === "--serve" && kind === "baseline" && database !== undefined) {
  await serveBaseline(database);
} else {
  await main();
}
