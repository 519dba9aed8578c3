/**
 * A worker thread holding a share of the benchmark's agent sockets (`socket.io-client`,
 * WebSocket transport, one session cookie each). For every `message:created` (alone or inside an
 * `events:batch` frame) whose wamid
 * carries the run's tag it records, per socket, that the message arrived and how long after the
 * parent wrote the webhook request (the parent's send times are in shared memory; `hrtime` is the
 * machine's monotonic clock, the same in every thread).
 */
import { performance } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";
import { io, type Socket } from "socket.io-client";
import type { EventsBatch } from "../../../runtime/contracts/socket-events.js";

/** What the parent passes to each thread. */
export interface SocketThreadData {
  url: string;
  cookies: string[];
  /** Messages are `${wamidPrefix}${index}`; index 0..total-1. */
  wamidPrefix: string;
  total: number;
  /** Indexes below this are warm-up: counted for delivery, not for latency. */
  measuredFrom: number;
  /** Float64 per index: hrtime (ms) just before the parent wrote the webhook request. */
  sendAt: SharedArrayBuffer;
  /** Int32 per thread: distinct (message, socket) deliveries seen so far. */
  delivered: SharedArrayBuffer;
  threadIndex: number;
}

/** What a thread reports at the end. */
export interface SocketThreadReport {
  type: "report";
  /** One latency (ms) per (measured message, socket) delivery. */
  latencies: Float64Array;
  /** Per message index: the latest first-arrival (hrtime ms) among this thread's sockets. */
  lastArrival: Float64Array;
  /** Per message index: how many of this thread's sockets got it at least once. */
  socketsReached: Uint16Array;
  lost: number;
  duplicates: number;
  /** `message:created` events received (duplicates included). */
  messages: number;
  /** Socket.IO frames that carried them (an `events:batch` carries several). */
  frames: number;
  disconnects: number;
  eventLoopUtilization: number;
}

const data = workerData as SocketThreadData;
const port = parentPort;
if (port === null) throw new Error("socketClients.ts runs as a worker thread");

const sendAt = new Float64Array(data.sendAt);
const delivered = new Int32Array(data.delivered);
const received = data.cookies.map(() => new Uint8Array(data.total));
const lastArrival = new Float64Array(data.total);
const socketsReached = new Uint16Array(data.total);
let latencies = new Float64Array(1 << 16);
let latencyCount = 0;
let messages = 0;
let frames = 0;
let disconnects = 0;
const sockets: Socket[] = [];
let elu = performance.eventLoopUtilization();

function record(socketIndex: number, envelope: unknown): void {
  messages += 1;
  const now = Number(process.hrtime.bigint()) / 1e6;
  const wamid = (envelope as { data?: { message?: { wamid?: unknown } } } | undefined)?.data
    ?.message?.wamid;
  if (typeof wamid !== "string" || !wamid.startsWith(data.wamidPrefix)) return;
  const index = Number(wamid.slice(data.wamidPrefix.length));
  if (!Number.isInteger(index) || index < 0 || index >= data.total) return;
  const seen = received[socketIndex] as Uint8Array;
  const count = seen[index] ?? 0;
  if (count < 255) seen[index] = count + 1;
  if (count > 0) return;
  Atomics.add(delivered, data.threadIndex, 1);
  socketsReached[index] = (socketsReached[index] ?? 0) + 1;
  if (now > (lastArrival[index] ?? 0)) lastArrival[index] = now;
  if (index < data.measuredFrom) return;
  if (latencyCount === latencies.length) {
    const grown = new Float64Array(latencies.length * 2);
    grown.set(latencies);
    latencies = grown;
  }
  latencies[latencyCount] = now - (sendAt[index] ?? now);
  latencyCount += 1;
}

async function connectAll(): Promise<{ connected: number; errors: string[] }> {
  const errors: string[] = [];
  // A few at a time: each handshake is a session lookup on the server.
  for (let start = 0; start < data.cookies.length; start += 10) {
    await Promise.all(
      data.cookies.slice(start, start + 10).map(
        (cookie, offset) =>
          new Promise<void>((resolve) => {
            const socketIndex = start + offset;
            const socket = io(data.url, {
              transports: ["websocket"],
              extraHeaders: { cookie },
              reconnection: false,
              timeout: 20_000,
            });
            socket.on("message:created", (envelope: unknown) => {
              frames += 1;
              record(socketIndex, envelope);
            });
            socket.on("events:batch", (batch: EventsBatch) => {
              frames += 1;
              for (const event of batch.events) {
                if (event.name === "message:created") record(socketIndex, event.envelope);
              }
            });
            socket.on("disconnect", () => {
              disconnects += 1;
            });
            socket.once("connect", () => resolve());
            socket.once("connect_error", (error) => {
              errors.push(error.message);
              resolve();
            });
            sockets[socketIndex] = socket;
          }),
      ),
    );
  }
  return { connected: sockets.filter((socket) => socket.connected).length, errors };
}

port.on("message", (message: { type: string }) => {
  if (message.type !== "report") return;
  let lost = 0;
  let duplicates = 0;
  for (const seen of received) {
    for (let index = 0; index < data.total; index += 1) {
      const count = seen[index] ?? 0;
      if (count === 0) lost += 1;
      else duplicates += count - 1;
    }
  }
  const used = performance.eventLoopUtilization(elu);
  const unexpectedDisconnects = disconnects;
  for (const socket of sockets) socket.disconnect();
  const report: SocketThreadReport = {
    type: "report",
    latencies: latencies.slice(0, latencyCount),
    lastArrival,
    socketsReached,
    lost,
    duplicates,
    messages,
    frames,
    disconnects: unexpectedDisconnects,
    eventLoopUtilization: Math.round(used.utilization * 100) / 100,
  };
  port.postMessage(report, [
    report.latencies.buffer as ArrayBuffer,
    lastArrival.buffer as ArrayBuffer,
    socketsReached.buffer as ArrayBuffer,
  ]);
});

const result = await connectAll();
elu = performance.eventLoopUtilization();
port.postMessage({ type: "connected", ...result });
