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
import type { ChildProcess } from "node:child_process";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { once } from "node:events";
import { Agent } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import express from "express";
import mysql from "mysql2/promise";
import {
  APP_SECRET,
  buildRuntimeBundle,
  configureRuntime,
  dropScratch,
  forkServer,
  freePort,
  installLatencyProbe,
  MYSQL,
  RUNTIME_NODE_ENV,
  runtimeEnv,
  serveRuntime,
  stopChild,
  takeLatencies,
} from "./lib/runtimeProcess.js";
import { machine, summary } from "./lib/stats.js";
import { type Delivery, postWebhook as post, signedTextWebhook } from "./lib/webhooks.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const RATES = (process.env.BENCH_RATES ?? "80,1000").split(",").map(Number);
const DUPLICATE_RATIO = Number(process.env.BENCH_DUPLICATE_RATIO ?? 0.1);
const SATURATION_SECONDS = Number(process.env.BENCH_SATURATION_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const WORKERS = process.env.BENCH_WORKERS === "1";
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);

type ServerKind = "runtime" | "baseline";

// ---------------------------------------------------------------- child: the servers under test

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

let sequence = 0;
function newDelivery(): Delivery {
  sequence += 1;
  const wa = `55119${(sequence % 5000).toString().padStart(8, "0")}`;
  return signedTextWebhook({
    wamid: `wamid.BENCH${process.pid}${sequence.toString().padStart(9, "0")}`,
    from: wa,
    name: "Cliente Benchmark",
    text: "Ol\u00e1! Gostaria de saber o status do meu pedido n\u00ba 12345.",
  });
}

interface LoadResult {
  sent: number;
  uniqueSent: number;
  duplicatesSent: number;
  statuses: Record<string, number>;
  clientLatencies: number[];
  seconds: number;
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
  const env = runtimeEnv({
    port,
    role: WORKERS ? "all" : "web",
    database,
    redisPrefix,
    encryptionKey,
    sessionSecret: randomBytes(48).toString("base64"),
  });
  const url = `http://127.0.0.1:${port}`;
  const child = await forkServer({
    entry: fileURLToPath(import.meta.url),
    args: ["--serve", kind, database],
    env,
    url,
    readyPath: kind === "runtime" ? "/readyz" : "/ready",
    label: `${kind} server`,
  });
  try {
    if (kind === "runtime") await configureRuntime(admin, database, encryptionKey);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return { child, url, latencies: () => takeLatencies(child) };
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
  buildRuntimeBundle();
  const suffix = randomBytes(4).toString("hex");
  const databases = { runtime: `atende_bench_${suffix}`, baseline: `atende_bench_${suffix}_base` };
  const redisPrefix = `atende_bench_${suffix}`;
  const admin = mysql.createPool({ ...MYSQL, connectionLimit: 2 });
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
    console.log(
      JSON.stringify(
        {
          benchmark: "ingest",
          machine: machine(),
          settings: {
            secondsPerRate: SECONDS,
            rates: RATES,
            duplicateRatio: DUPLICATE_RATIO,
            warmUpSeconds: WARMUP_SECONDS,
            saturationSeconds: SATURATION_SECONDS,
            saturationConcurrency: CONCURRENCY,
            runtimeRole: WORKERS ? "all (web + BullMQ workers)" : "web",
            // The runtime refuses an empty database password in production (the host's root has none).
            runtimeNodeEnv: RUNTIME_NODE_ENV,
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
    await dropScratch(admin, Object.values(databases), redisPrefix);
    await admin.end();
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
