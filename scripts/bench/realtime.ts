/**
 * `npm run bench:realtime`: real-time delivery of one runtime (issue 4 targets), printed as one
 * JSON document (progress on stderr).
 *
 * The runtime runs as in production: the production bundle (`runtime/dist/main.js`, rebuilt
 * first, inbox assets included) in two child processes, `ROLE=web` (HTTP, webhook, Socket.IO,
 * the Redis → Socket.IO relay) and `ROLE=worker` (BullMQ: processes stored webhook events and
 * publishes `message:created`), on a scratch database and Redis prefix, WhatsApp configured.
 *
 * - Delivery, per scenario `RATExAGENTS` (default 80 msg/s × 50 agents, 1,000 msg/s × 200
 *   agents): AGENTS real users (three agents to one manager) sign in through `POST /api/session`
 *   and connect with `socket.io-client` (WebSocket, their session cookie), spread over worker
 *   threads; the parent sends Meta-signed webhooks at RATE (open loop), one new text message
 *   each, from 2,000 customers, for BENCH_WARMUP_SECONDS (not measured) then BENCH_SECONDS.
 *   Latency per (message, socket): webhook request about to be written → that socket's
 *   `message:created` for the wamid parsed. Also per message until the last socket has it, the
 *   stages (webhook stored, processed by the worker — database clock — , published on Redis —
 *   a subscriber in the bench), messages lost or duplicated per socket, CPU of each process and
 *   the client threads' event-loop use (is the load generator the bottleneck?).
 * - First render: BENCH_CONVERSATIONS (10,000) conversations with contact and last message are
 *   inserted in bulk; an agent's inbox (`/`) is opened in Chromium, cold (new browser context)
 *   BENCH_RENDER_LOADS times and warm (same context) as often: navigation start → the first
 *   conversation row laid out in the viewport (`performance.now()` in the page, polled each
 *   animation frame through every shadow root), with Chromium's navigation and paint timings.
 * - Relay only (BENCH_RELAY_SCENARIOS, default 1,000 msg/s × 200 agents): a `message:created` the
 *   worker published during a pipeline scenario is published again on the tenant's Redis
 *   channel with new wamids at RATE: the web role's relay and Socket.IO fan-out alone, without
 *   ingest and processing.
 *
 * Env: BENCH_SCENARIOS ("80x50,1000x200"), BENCH_RELAY_SCENARIOS ("1000x200", "" for none),
 * BENCH_SECONDS (30), BENCH_WARMUP_SECONDS (5), BENCH_DRAIN_SECONDS (60: how long to wait for
 * late frames after the last message), BENCH_CLIENT_THREADS (2), BENCH_CONVERSATIONS (10000),
 * BENCH_RENDER_LOADS (5), BENCH_SKIP_RENDER (1 skips the first render), BENCH_CPU_PROF (1: V8
 * CPU profile of the web and worker processes over each measured window, top functions by self
 * time in the JSON), TEST_DATABASE_* / TEST_REDIS_*.
 */
import type { ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { Agent } from "node:http";
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { Redis } from "ioredis";
import mysql from "mysql2/promise";
import type { Page } from "playwright-core";
import { hashPassword } from "../../runtime/src/auth/passwords.js";
import { SESSION_COOKIE } from "../../runtime/src/auth/sessionCookie.js";
import { launchChromium } from "../../runtime/src/test/browser.js";
import {
  buildRuntimeBundle,
  configureRuntime,
  dropScratch,
  endWindow,
  forkServer,
  freePort,
  MYSQL,
  REDIS,
  RUNTIME_NODE_ENV,
  runtimeEnv,
  startWindow,
  stopChild,
  takeLatencies,
} from "./lib/runtimeProcess.js";
import type { SocketThreadData, SocketThreadReport } from "./lib/socketClients.js";
import { machine, rankOf, summary } from "./lib/stats.js";
import { postWebhook, signedTextWebhook } from "./lib/webhooks.js";

/** Delivery scenarios: `pipeline` sends webhooks; `relay` publishes on Redis as the worker does. */
interface Scenario {
  rate: number;
  agents: number;
  mode: "pipeline" | "relay";
}
const parseScenarios = (name: string, fallback: string, mode: Scenario["mode"]): Scenario[] =>
  (process.env[name] ?? fallback)
    .split(",")
    .filter((text) => text !== "")
    .map((text) => {
      const [rate, agents] = text.split("x").map(Number);
      if (!rate || !agents) throw new Error(`${name}: "${text}" is not RATExAGENTS`);
      return { rate, agents, mode };
    });
const SCENARIOS = [
  ...parseScenarios("BENCH_SCENARIOS", "80x50,1000x200", "pipeline"),
  ...parseScenarios("BENCH_RELAY_SCENARIOS", "1000x200", "relay"),
];
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const DRAIN_SECONDS = Number(process.env.BENCH_DRAIN_SECONDS ?? 60);
const CLIENT_THREADS = Number(process.env.BENCH_CLIENT_THREADS ?? 2);
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 10_000);
const RENDER_LOADS = Number(process.env.BENCH_RENDER_LOADS ?? 5);
const SKIP_RENDER = process.env.BENCH_SKIP_RENDER === "1";
const CPU_PROF = process.env.BENCH_CPU_PROF === "1";
const CUSTOMERS = 2_000;
/** Seeded contacts are named with this prefix; the first-render probe looks for it. */
const SEEDED_NAME = "Bench Cliente ";
const TARGETS = {
  "80x50": { p99Ms: 15 },
  "1000x200": { p99Ms: 100 },
  firstRenderMs: 1_000,
};

const scenarioLabel = (s: Scenario) => `${s.mode === "relay" ? "relay-" : ""}${s.rate}x${s.agents}`;
const log = (text: string) => process.stderr.write(`[bench:realtime] ${text}\n`);
const hrMs = () => Number(process.hrtime.bigint()) / 1e6;
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

// ---------------------------------------------------------------- runtime and data

interface Runtime {
  web: ChildProcess;
  worker: ChildProcess;
  url: string;
  database: string;
  redisPrefix: string;
}

async function startRuntime(admin: mysql.Pool, database: string, redisPrefix: string) {
  const encryptionKey = randomBytes(32).toString("base64");
  const sessionSecret = randomBytes(48).toString("base64");
  const entry = fileURLToPath(new URL("./lib/runtimeChild.ts", import.meta.url));
  const webPort = await freePort();
  const url = `http://127.0.0.1:${webPort}`;
  const shared = { database, redisPrefix, encryptionKey, sessionSecret, publicUrl: url };
  // 200 agents sign in from one address here; in an office they would be spread over minutes.
  // Consent questions are off: they would queue sends to a Graph API that is not there.
  const limits = { RATE_LIMIT_LOGIN_PER_MINUTE: "0", CONSENT_PROMPT: "false" };
  // The web role applies the migrations; the worker starts on the migrated database.
  const web = await forkServer({
    entry,
    env: { ...runtimeEnv({ ...shared, port: webPort, role: "web" }), ...limits },
    url,
    readyPath: "/readyz",
    label: "web role",
  });
  await configureRuntime(admin, database, encryptionKey);
  const workerPort = await freePort();
  const worker = await forkServer({
    entry,
    env: { ...runtimeEnv({ ...shared, port: workerPort, role: "worker" }), ...limits },
    url: `http://127.0.0.1:${workerPort}`,
    readyPath: "/readyz",
    label: "worker role",
  });
  return { web, worker, url, database, redisPrefix } satisfies Runtime;
}

/** Users with one known password (hashed once: hashing is deliberately slow). */
async function createUsers(admin: mysql.Pool, database: string, count: number) {
  const password = `bench-${randomBytes(8).toString("hex")}`;
  const hash = await hashPassword(password);
  const users = Array.from({ length: count }, (_, i) => ({
    email: `agent-${i}@bench.example.com`,
    // One manager (sees everything) to three agents (see unassigned and their own).
    role: i % 4 === 3 ? "manager" : "agent",
  }));
  await admin.query(
    "INSERT INTO ??.users (email, name, role, password_hash, must_change_password) VALUES ?",
    [database, users.map((user, i) => [user.email, `Agente ${i}`, user.role, hash, false])],
  );
  const [rows] = await admin.query("SELECT id, email FROM ??.users ORDER BY id", [database]);
  return {
    password,
    users: (rows as Array<{ id: number; email: string }>).filter((row) =>
      row.email.endsWith("@bench.example.com"),
    ),
  };
}

/** Signs in through the API as the inbox does; returns the `Cookie` header value. */
async function signIn(url: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const cookie = response.headers
    .getSetCookie()
    .find((line) => line.startsWith(`${SESSION_COOKIE}=`));
  if (response.status !== 201 || cookie === undefined) {
    throw new Error(`sign-in of ${email} failed: ${response.status}`);
  }
  return cookie.split(";")[0] as string;
}

async function signInAll(url: string, emails: string[], password: string): Promise<string[]> {
  const cookies: string[] = [];
  for (let start = 0; start < emails.length; start += 4) {
    cookies.push(
      ...(await Promise.all(
        emails.slice(start, start + 4).map((email) => signIn(url, email, password)),
      )),
    );
  }
  return cookies;
}

const customerWaId = (i: number) => `55119${(i % CUSTOMERS).toString().padStart(8, "0")}`;

/**
 * Sends one signed text webhook per `messages` entry (16 at a time) and waits until the worker
 * has processed every stored event: data is created by the runtime's own code, whatever its
 * schema (contact identifiers, for one, are sealed).
 */
async function sendAndProcess(
  runtime: Runtime,
  admin: mysql.Pool,
  messages: Array<{ wamid: string; from: string; name: string; text: string }>,
): Promise<void> {
  const url = new URL("/webhooks/whatsapp", runtime.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < messages.length) {
        const message = messages[next] as (typeof messages)[number];
        next += 1;
        const [status] = await postWebhook(agent, url, signedTextWebhook(message));
        if (status !== 200) throw new Error(`seeding webhook answered ${status}`);
      }
    }),
  );
  agent.destroy();
  const deadline = Date.now() + 300_000;
  for (;;) {
    const [rows] = await admin.query(
      "SELECT COUNT(*) AS pending FROM ??.whatsapp_inbox_events WHERE processed_at IS NULL",
      [runtime.database],
    );
    if (Number((rows as Array<{ pending: number }>)[0]?.pending ?? 0) === 0) return;
    if (Date.now() > deadline) throw new Error("seeded webhooks not processed in 5 minutes");
    await sleep(500);
  }
}

/**
 * The CUSTOMERS who send the scenarios' webhooks, as returning customers: one earlier message
 * each, so they have a contact and an open conversation.
 */
async function seedCustomers(runtime: Runtime, admin: mysql.Pool): Promise<void> {
  await sendAndProcess(
    runtime,
    admin,
    Array.from({ length: CUSTOMERS }, (_, i) => ({
      wamid: `wamid.CUSTOMER${i}`,
      from: customerWaId(i),
      name: `Cliente ${i}`,
      text: "Oi, preciso de ajuda com meu pedido.",
    })),
  );
}

/**
 * CONVERSATIONS contacts, each with an open conversation and one inbound message (webhooks,
 * then processed); every other one assigned to `agentId`, so the agent's list has rows whatever
 * view it opens on.
 */
async function seedConversations(runtime: Runtime, admin: mysql.Pool, agentId: number) {
  await sendAndProcess(
    runtime,
    admin,
    Array.from({ length: CONVERSATIONS }, (_, i) => ({
      wamid: `wamid.SEED${i}`,
      from: `55219${i.toString().padStart(8, "0")}`,
      name: `${SEEDED_NAME}${i.toString().padStart(5, "0")}`,
      text: `Olá, pedido ${i} ainda não chegou. Podem verificar?`,
    })),
  );
  await admin.query(
    `UPDATE ??.conversations c JOIN ??.messages m ON m.conversation_id = c.id
        SET c.assigned_user_id = ?, c.assigned_at = NOW(3)
      WHERE m.wamid LIKE 'wamid.SEED%' AND CAST(SUBSTRING(m.wamid, 11) AS UNSIGNED) % 2 = 0`,
    [runtime.database, runtime.database, agentId],
  );
}

// ---------------------------------------------------------------- first render

/**
 * Runs in the page before its scripts: each animation frame, looks through the document and
 * every open shadow root for a text node of a seeded contact's name laid out in the viewport,
 * and keeps `performance.now()` (ms since navigation start) of the first frame that has one.
 */
const FIRST_ROW_PROBE = `(() => {
  const marker = ${JSON.stringify(SEEDED_NAME)};
  const visible = (element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && box.top < innerHeight && box.bottom > 0;
  };
  const find = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.currentNode; node !== null; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) {
        if (node.data.includes(marker) && node.parentElement && visible(node.parentElement)) return true;
      } else if (node.shadowRoot && find(node.shadowRoot)) return true;
    }
    return false;
  };
  const frame = () => {
    if (document.body && find(document.body)) {
      window.__atendeFirstRowAt = performance.now();
      return;
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();`;

/** What the page reports after the first row showed. */
const PAGE_METRICS = `(() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = Object.fromEntries(performance.getEntriesByType("paint").map((e) => [e.name, e.startTime]));
  const list = performance.getEntriesByType("resource").find((e) => e.name.includes("/api/conversations"));
  let rows = 0;
  const count = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.currentNode; node !== null; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) { if (node.data.includes(${JSON.stringify(SEEDED_NAME)})) rows += 1; }
      else if (node.shadowRoot) count(node.shadowRoot);
    }
  };
  count(document.body);
  return {
    firstRowMs: window.__atendeFirstRowAt,
    responseEndMs: nav ? nav.responseEnd : null,
    domContentLoadedMs: nav ? nav.domContentLoadedEventEnd : null,
    loadMs: nav ? nav.loadEventEnd : null,
    firstContentfulPaintMs: paint["first-contentful-paint"] ?? null,
    conversationsRequestStartMs: list ? list.startTime : null,
    conversationsResponseEndMs: list ? list.responseEnd : null,
    rowsRendered: rows,
  };
})()`;

interface PageMetrics {
  firstRowMs: number;
  responseEndMs: number | null;
  domContentLoadedMs: number | null;
  loadMs: number | null;
  firstContentfulPaintMs: number | null;
  conversationsRequestStartMs: number | null;
  conversationsResponseEndMs: number | null;
  rowsRendered: number;
}

async function measureFirstRender(url: string, cookie: string) {
  const browser = await launchChromium();
  const [name, value] = cookie.split("=") as [string, string];
  const cold: PageMetrics[] = [];
  const warm: PageMetrics[] = [];
  try {
    const load = async (page: Page) => {
      await page.goto(`${url}/`);
      // A function, not a string: the inbox's CSP forbids eval.
      await page.waitForFunction(
        () => (globalThis as { __atendeFirstRowAt?: number }).__atendeFirstRowAt !== undefined,
        undefined,
        { timeout: 30_000 },
      );
      return (await page.evaluate(PAGE_METRICS)) as PageMetrics;
    };
    for (let i = 0; i < RENDER_LOADS; i += 1) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addCookies([{ name, value, url }]);
      await context.addInitScript({ content: FIRST_ROW_PROBE });
      const page = await context.newPage();
      cold.push(await load(page));
      // Same context, new page: assets in the HTTP cache, as an agent opening the inbox again.
      const again = await context.newPage();
      warm.push(await load(again));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const median = (values: Array<number | null>) => {
    const present = values.filter((v): v is number => v !== null);
    return present.length === 0 ? null : round(rankOf(Float64Array.from(present).sort(), 50));
  };
  const describe = (loads: PageMetrics[]) => ({
    firstRowMsMedian: median(loads.map((m) => m.firstRowMs)),
    firstRowMsAll: loads.map((m) => round(m.firstRowMs)),
    chromiumMedians: {
      responseEndMs: median(loads.map((m) => m.responseEndMs)),
      domContentLoadedMs: median(loads.map((m) => m.domContentLoadedMs)),
      firstContentfulPaintMs: median(loads.map((m) => m.firstContentfulPaintMs)),
      loadMs: median(loads.map((m) => m.loadMs)),
      conversationsRequestStartMs: median(loads.map((m) => m.conversationsRequestStartMs)),
      conversationsResponseEndMs: median(loads.map((m) => m.conversationsResponseEndMs)),
    },
    rowsRendered: loads[0]?.rowsRendered ?? 0,
  });
  return { cold: describe(cold), warm: describe(warm) };
}

// ---------------------------------------------------------------- delivery

/** utime + stime of a process, in seconds (Linux /proc). */
async function cpuSeconds(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function pidOf(name: string): number | undefined {
  try {
    const pid = Number(execFileSync("pgrep", ["-x", "-o", name], { encoding: "utf8" }).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Event times (hrtime ms) of one scenario's messages, by index. */
interface Timeline {
  sendAt: Float64Array;
  ackAt: Float64Array;
  publishedAt: Float64Array;
}

/**
 * A worker thread running `lib/socketClients.ts`: Node 20 does not apply `--import tsx` to a
 * worker's entry, so a tiny ESM bootstrap registers tsx first.
 */
const SOCKET_THREAD = new URL(
  `data:text/javascript,${encodeURIComponent(
    `import { register } from ${JSON.stringify(import.meta.resolve("tsx/esm/api"))};
     register();
     await import(${JSON.stringify(new URL("./lib/socketClients.ts", import.meta.url).href)});`,
  )}`,
);

/** Sockets spread over worker threads. */
async function connectSockets(
  url: string,
  cookies: string[],
  shared: Omit<SocketThreadData, "url" | "cookies" | "threadIndex">,
) {
  const threads = Math.max(1, Math.min(CLIENT_THREADS, cookies.length));
  const workers = Array.from({ length: threads }, (_, threadIndex) => {
    const data: SocketThreadData = {
      ...shared,
      url,
      cookies: cookies.filter((_, i) => i % threads === threadIndex),
      threadIndex,
    };
    return new Worker(SOCKET_THREAD, { workerData: data });
  });
  const connected = await Promise.all(
    workers.map(
      (worker) =>
        new Promise<{ connected: number; errors: string[] }>((resolve, reject) => {
          worker.once("error", reject);
          worker.once("message", resolve);
        }),
    ),
  );
  const total = connected.reduce((sum, result) => sum + result.connected, 0);
  const errors = connected.flatMap((result) => result.errors);
  if (total !== cookies.length) {
    throw new Error(`${cookies.length - total} sockets did not connect: ${errors.slice(0, 3)}`);
  }
  return {
    reports: () =>
      Promise.all(
        workers.map(
          (worker) =>
            new Promise<SocketThreadReport>((resolve) => {
              worker.once("message", (report: SocketThreadReport) => {
                void worker.terminate();
                resolve(report);
              });
              worker.postMessage({ type: "report" });
            }),
        ),
      ),
  };
}

/** A `message:created` the worker published, replayed with other wamids by `relay` scenarios. */
let relayTemplate: { text: string; wamid: string } | undefined;

async function runScenario(
  runtime: Runtime,
  admin: mysql.Pool,
  cookies: string[],
  scenario: Scenario,
  runTag: string,
) {
  const label = scenarioLabel(scenario);
  const warmup = Math.round(scenario.rate * WARMUP_SECONDS);
  const measured = Math.round(scenario.rate * SECONDS);
  const total = warmup + measured;
  const wamidPrefix = `wamid.RT${runTag}${label}.`;
  const timeline: Timeline = {
    sendAt: new Float64Array(new SharedArrayBuffer(8 * total)),
    ackAt: new Float64Array(total),
    publishedAt: new Float64Array(total),
  };
  const delivered = new Int32Array(new SharedArrayBuffer(4 * CLIENT_THREADS));
  log(`${label}: connecting ${scenario.agents} sockets`);
  const clients = await connectSockets(runtime.url, cookies.slice(0, scenario.agents), {
    wamidPrefix,
    total,
    measuredFrom: warmup,
    sendAt: timeline.sendAt.buffer as SharedArrayBuffer,
    delivered: delivered.buffer as SharedArrayBuffer,
  });

  // The relay's input, seen from outside: when the worker's publish reached Redis subscribers.
  const subscriber = new Redis({ ...REDIS });
  subscriber.on("message", (_channel: string, text: string) => {
    const at = hrMs();
    const index = text.indexOf(wamidPrefix);
    if (index < 0) return;
    const end = text.indexOf('"', index);
    const i = Number(text.slice(index + wamidPrefix.length, end));
    if (Number.isInteger(i) && i >= 0 && i < total && timeline.publishedAt[i] === 0) {
      timeline.publishedAt[i] = at;
    }
    if (relayTemplate === undefined && text.includes('"message:created"')) {
      relayTemplate = { text, wamid: text.slice(index, end) };
    }
  });
  await subscriber.subscribe(`${runtime.redisPrefix}:tenant-events`);

  const url = new URL("/webhooks/whatsapp", runtime.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const statuses: Record<string, number> = {};
  const clientAck: number[] = [];
  const inFlight = new Set<Promise<void>>();
  const publisher = new Redis({ ...REDIS });
  const channel = `${runtime.redisPrefix}:tenant-events`;
  const relay = (i: number) => {
    if (relayTemplate === undefined) throw new Error("relay scenarios need a pipeline one first");
    const text = relayTemplate.text.split(relayTemplate.wamid).join(`${wamidPrefix}${i}`);
    timeline.sendAt[i] = hrMs();
    const pending = publisher.publish(channel, text).then(() => {
      timeline.ackAt[i] = hrMs();
      inFlight.delete(pending);
    });
    inFlight.add(pending);
  };
  const webhook = (i: number) => {
    const delivery = signedTextWebhook({
      wamid: `${wamidPrefix}${i}`,
      from: customerWaId(i),
      name: `Cliente ${i % CUSTOMERS}`,
      text: `Mensagem ${i} do benchmark: olá, tudo bem?`,
    });
    timeline.sendAt[i] = hrMs();
    const pending = postWebhook(agent, url, delivery).then(([status, ms]) => {
      timeline.ackAt[i] = hrMs();
      if (i >= warmup) {
        statuses[status] = (statuses[status] ?? 0) + 1;
        clientAck.push(ms);
      }
      inFlight.delete(pending);
    });
    inFlight.add(pending);
  };

  // Open loop: messages leave on schedule whatever the server's speed.
  const pids = {
    web: runtime.web.pid,
    worker: runtime.worker.pid,
    mariadb: pidOf("mariadbd") ?? pidOf("mysqld"),
    redis: pidOf("redis-server"),
  };
  let cpuStart: Record<string, number | null> = {};
  let benchCpuStart = process.cpuUsage();
  let measuredStartedAt = 0;
  const loadavgAtStart = os.loadavg().map((value) => round(value, 2));
  const databaseCommitMs = await commitLatency(admin, runtime.database);
  log(`${label}: ${WARMUP_SECONDS} s warm-up, then ${SECONDS} s at ${scenario.rate} msg/s`);
  const started = hrMs();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((hrMs() - started) / 1000) * scenario.rate));
      while (sent < due) {
        if (sent === warmup) {
          measuredStartedAt = hrMs();
          void takeLatencies(runtime.web);
          startWindow(runtime.web, CPU_PROF);
          startWindow(runtime.worker, CPU_PROF);
          benchCpuStart = process.cpuUsage();
          void Promise.all(Object.values(pids).map(cpuSeconds)).then((values) => {
            cpuStart = Object.fromEntries(
              Object.keys(pids).map((key, i) => [key, values[i] ?? null]),
            );
          });
        }
        if (scenario.mode === "relay") relay(sent);
        else webhook(sent);
        sent += 1;
      }
      if (sent >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const sendSeconds = (hrMs() - measuredStartedAt) / 1000;
  const [webWindow, workerWindow] = await Promise.all([
    endWindow(runtime.web),
    endWindow(runtime.worker),
  ]);
  await Promise.all(inFlight);
  const cpuEnd = await Promise.all(Object.values(pids).map(cpuSeconds));
  const benchCpu = process.cpuUsage(benchCpuStart);
  const cpuPercent = Object.fromEntries(
    Object.keys(pids).map((key, i) => {
      const end = cpuEnd[i];
      const start = cpuStart[key];
      return [
        key,
        end === null || end === undefined || start === null || start === undefined
          ? null
          : Math.round(((end - start) / sendSeconds) * 100),
      ];
    }),
  );
  cpuPercent.benchProcess = Math.round(
    ((benchCpu.user + benchCpu.system) / 1e6 / sendSeconds) * 100,
  );
  const serverAck = await takeLatencies(runtime.web);

  // Late frames: wait until every socket has every message, or nothing moved for 10 s.
  const expected = total * scenario.agents;
  const drainStarted = hrMs();
  let last = -1;
  let lastMoved = hrMs();
  for (;;) {
    const now = delivered.reduce((sum, value) => sum + value, 0);
    if (now >= expected) break;
    if (now !== last) {
      last = now;
      lastMoved = hrMs();
    }
    if (hrMs() - lastMoved > 10_000 || hrMs() - drainStarted > DRAIN_SECONDS * 1000) break;
    await sleep(200);
  }
  const drainSeconds = (hrMs() - drainStarted) / 1000;
  // CPU from the measured window's start until everything sent was delivered (or given up on),
  // per measured message: what each message costs each process, whatever the host's contention.
  const cpuAfterDrain = await Promise.all(Object.values(pids).map(cpuSeconds));
  const benchCpuAfterDrain = process.cpuUsage(benchCpuStart);
  const cpuMsPerMessage: Record<string, number | null> = Object.fromEntries(
    Object.keys(pids).map((key, i) => {
      const end = cpuAfterDrain[i];
      const start = cpuStart[key];
      return [
        key,
        end === null || end === undefined || start === null || start === undefined
          ? null
          : round(((end - start) * 1000) / measured, 2),
      ];
    }),
  );
  cpuMsPerMessage.benchProcess = round(
    (benchCpuAfterDrain.user + benchCpuAfterDrain.system) / 1000 / measured,
    2,
  );
  const reports = await clients.reports();
  await subscriber.quit();
  await publisher.quit();
  agent.destroy();

  // Per message: the last socket's arrival, and the database's times of each stage.
  const reached = new Uint32Array(total);
  const lastArrival = new Float64Array(total);
  for (const report of reports) {
    for (let i = 0; i < total; i += 1) {
      reached[i] = (reached[i] ?? 0) + (report.socketsReached[i] ?? 0);
      lastArrival[i] = Math.max(lastArrival[i] ?? 0, report.lastArrival[i] ?? 0);
    }
  }
  const stages = await stageTimes(admin, runtime.database, wamidPrefix, warmup, total);
  const allSockets: number[] = [];
  const stage = {
    webhookAck: [] as number[],
    stored: [] as number[],
    storedToProcessed: [] as number[],
    processedToPublished: [] as number[],
    publishedToLastSocket: [] as number[],
  };
  for (let i = warmup; i < total; i += 1) {
    const sendAt = timeline.sendAt[i] as number;
    if (reached[i] === scenario.agents) allSockets.push((lastArrival[i] as number) - sendAt);
    if (timeline.ackAt[i]) stage.webhookAck.push((timeline.ackAt[i] as number) - sendAt);
    const db = stages.get(i);
    const published = timeline.publishedAt[i] as number;
    if (db !== undefined) {
      stage.stored.push(db.receivedAt - sendAt);
      if (db.processedAt !== null) stage.storedToProcessed.push(db.processedAt - db.receivedAt);
      if (db.processedAt !== null && published) {
        stage.processedToPublished.push(published - db.processedAt);
      }
    }
    if (published && reached[i] === scenario.agents) {
      stage.publishedToLastSocket.push((lastArrival[i] as number) - published);
    }
  }
  const latencies = new Float64Array(reports.reduce((sum, r) => sum + r.latencies.length, 0));
  let offset = 0;
  for (const report of reports) {
    latencies.set(report.latencies, offset);
    offset += report.latencies.length;
  }
  const perSocket = summary(latencies);
  const lost = reports.reduce((sum, r) => sum + r.lost, 0);
  const target =
    scenario.mode === "pipeline"
      ? (TARGETS[label as "80x50" | "1000x200"] as { p99Ms: number } | undefined)
      : undefined;
  const pipeline = scenario.mode === "pipeline";
  return {
    mode: pipeline
      ? "pipeline: signed webhook → web (store, enqueue) → worker (process, publish) → web relay → sockets"
      : "relay only: a message:created the worker published earlier, re-published on Redis with new wamids → web relay → sockets",
    targetRate: scenario.rate,
    agents: scenario.agents,
    loadavgAtStart,
    measuredSeconds: round(sendSeconds),
    achievedRate: Math.round(measured / sendSeconds),
    ...(pipeline
      ? {
          webhooks: {
            sent: measured,
            statuses,
            clientAckMs: summary(clientAck),
            serverAckMs: summary(serverAck),
          },
        }
      : {}),
    deliveryMs: {
      perSocket,
      untilLastSocket: summary(allSockets),
      description: pipeline
        ? "webhook request about to be written → message:created parsed by the socket (perSocket: every (message, socket); untilLastSocket: per message, the last of the agents' sockets)"
        : "Redis PUBLISH about to be written → message:created parsed by the socket",
    },
    stagesMs: pipeline
      ? {
          webhookAck: summary(stage.webhookAck),
          sendToStored: summary(stage.stored),
          storedToProcessed: summary(stage.storedToProcessed),
          processedToPublished: summary(stage.processedToPublished),
          publishedToLastSocket: summary(stage.publishedToLastSocket),
          note: "stored/processed are the database's received_at/processed_at (ms, same host clock); published is when the bench's Redis subscriber saw the event",
        }
      : { publishedToLastSocket: summary(stage.publishedToLastSocket) },
    delivery: {
      expectedFrames: expected,
      messageCreatedReceived: reports.reduce((sum, r) => sum + r.messages, 0),
      socketFramesCarryingThem: reports.reduce((sum, r) => sum + r.frames, 0),
      lost,
      duplicates: reports.reduce((sum, r) => sum + r.duplicates, 0),
      unexpectedDisconnects: reports.reduce((sum, r) => sum + r.disconnects, 0),
      ...(pipeline ? { messagesNotProcessed: measured - stage.storedToProcessed.length } : {}),
      drainSecondsAfterLastWebhook: round(drainSeconds),
    },
    cpuPercent,
    cpuMsPerMessage,
    eventLoopUtilization: {
      web: webWindow.eventLoopUtilization,
      worker: workerWindow.eventLoopUtilization,
    },
    ...(CPU_PROF ? { profiles: { web: webWindow.profile, worker: workerWindow.profile } } : {}),
    databaseCommitMs,
    clientThreads: {
      threads: reports.length,
      eventLoopUtilization: reports.map((r) => r.eventLoopUtilization),
    },
    ...(target === undefined
      ? {}
      : {
          target: {
            perSocketP99Ms: target.p99Ms,
            met: lost === 0 && perSocket.p99 <= target.p99Ms,
          },
        }),
  };
}

/**
 * What one durable commit costs on this MariaDB right now: 200 single-row autocommit INSERTs in
 * a row, each timed (the worker commits once per message).
 */
async function commitLatency(admin: mysql.Pool, database: string) {
  const connection = await admin.getConnection();
  try {
    await connection.query(
      "CREATE TABLE IF NOT EXISTS ??.bench_commit_probe (id INT AUTO_INCREMENT PRIMARY KEY, at DATETIME(3)) ENGINE=InnoDB",
      [database],
    );
    const values: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      const started = hrMs();
      await connection.query("INSERT INTO ??.bench_commit_probe (at) VALUES (NOW(3))", [database]);
      values.push(hrMs() - started);
    }
    return summary(values);
  } finally {
    connection.release();
  }
}

/** `received_at` / `processed_at` of each message's inbox row, in the bench's hrtime ms. */
async function stageTimes(
  admin: mysql.Pool,
  database: string,
  wamidPrefix: string,
  from: number,
  total: number,
) {
  const connection = await admin.getConnection();
  try {
    await connection.query("SET time_zone = '+00:00'");
    // Wall clock → hrtime: both are this host's clocks.
    const offset = Date.now() - hrMs();
    const [rows] = await connection.query(
      `SELECT event_key AS eventKey,
              UNIX_TIMESTAMP(received_at) * 1000 AS receivedAt,
              UNIX_TIMESTAMP(processed_at) * 1000 AS processedAt
         FROM ??.whatsapp_inbox_events WHERE event_key LIKE ?`,
      [database, `m:${wamidPrefix}%`],
    );
    const byIndex = new Map<number, { receivedAt: number; processedAt: number | null }>();
    for (const row of rows as Array<{
      eventKey: string;
      receivedAt: string;
      processedAt: string | null;
    }>) {
      const i = Number(row.eventKey.slice(`m:${wamidPrefix}`.length));
      if (i < from || i >= total) continue;
      byIndex.set(i, {
        receivedAt: Number(row.receivedAt) - offset,
        processedAt: row.processedAt === null ? null : Number(row.processedAt) - offset,
      });
    }
    return byIndex;
  } finally {
    connection.release();
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const loadBefore = os.loadavg().map((value) => round(value, 2));
  log("building the production bundle");
  buildRuntimeBundle();
  const suffix = randomBytes(4).toString("hex");
  const database = `atende_bench_${suffix}_rt`;
  const redisPrefix = `atende_bench_${suffix}_rt`;
  const admin = mysql.createPool({ ...MYSQL, connectionLimit: 2, charset: "utf8mb4" });
  let runtime: Runtime | undefined;
  try {
    await admin.query("CREATE DATABASE ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", [
      database,
    ]);
    log("starting the web and worker roles");
    runtime = await startRuntime(admin, database, redisPrefix);
    const agents = Math.max(...SCENARIOS.map((s) => s.agents), 1);
    const { users, password } = await createUsers(admin, database, agents);
    const emails = users.map((user) => user.email);
    log(`seeding ${CUSTOMERS} customers`);
    await seedCustomers(runtime, admin);

    let firstRender: Record<string, unknown> | undefined;
    if (!SKIP_RENDER) {
      log(`seeding ${CONVERSATIONS} conversations`);
      const renderAgent = users[0] as { id: number };
      const seedStarted = performance.now();
      await seedConversations(runtime, admin, renderAgent.id);
      const seedSeconds = round((performance.now() - seedStarted) / 1000);
      log("first render in Chromium");
      const render = await measureFirstRender(
        runtime.url,
        await signIn(runtime.url, emails[0] as string, password),
      );
      firstRender = {
        conversationsInDatabase: CONVERSATIONS + CUSTOMERS,
        seedSecondsThroughWebhooks: seedSeconds,
        loads: RENDER_LOADS,
        viewer: "agent (half the seeded conversations assigned to them, half unassigned)",
        measured:
          "navigation start → first frame with a conversation row laid out in the viewport (performance.now() in the page)",
        ...render,
        target: {
          firstRowMs: TARGETS.firstRenderMs,
          met:
            render.cold.firstRowMsMedian !== null &&
            render.cold.firstRowMsMedian <= TARGETS.firstRenderMs,
        },
      };
    }

    log(`signing in ${users.length} users`);
    const cookies = await signInAll(runtime.url, emails, password);

    const runTag = randomBytes(3).toString("hex");
    const scenarios: Record<string, unknown> = {};
    for (const scenario of SCENARIOS) {
      scenarios[scenarioLabel(scenario)] = await runScenario(
        runtime,
        admin,
        cookies,
        scenario,
        runTag,
      );
    }
    const loadAfter = os.loadavg().map((value) => round(value, 2));
    await stopChild(runtime.web);
    await stopChild(runtime.worker);

    console.log(
      JSON.stringify(
        {
          benchmark: "realtime",
          machine: machine(),
          load: {
            loadavgBefore: loadBefore,
            loadavgAfter: loadAfter,
            note: "1/5/15-minute load averages of the host, shared with other work",
          },
          settings: {
            scenarios: SCENARIOS.map(scenarioLabel),
            measuredSecondsPerScenario: SECONDS,
            warmUpSeconds: WARMUP_SECONDS,
            customers: CUSTOMERS,
            clientThreads: CLIENT_THREADS,
            agentsMix: "3 agents : 1 manager; all conversations unassigned",
            runtime:
              "runtime/dist/main.js (production bundle), two processes: ROLE=web and ROLE=worker",
            runtimeNodeEnv: RUNTIME_NODE_ENV,
            loadGenerator:
              "same host: webhooks from the bench's main thread (open loop, keep-alive HTTP/1.1, one message per webhook), sockets in worker threads",
            cpuProfile: CPU_PROF,
          },
          targets: TARGETS,
          scenarios,
          ...(firstRender === undefined ? {} : { firstRender }),
        },
        null,
        2,
      ),
    );
  } finally {
    if (runtime !== undefined) {
      await stopChild(runtime.web);
      await stopChild(runtime.worker);
    }
    await dropScratch(admin, [database], redisPrefix);
    await admin.end();
  }
}

await main();
