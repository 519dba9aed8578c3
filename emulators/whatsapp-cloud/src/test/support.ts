import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type CloudApiEmulator,
  type CloudApiEmulatorOptions,
  createCloudApiEmulator,
} from "../createCloudApiEmulator.js";
import { compressedTimings } from "../settings.js";

/** One request the fake app received. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The exact bytes received. */
  raw: Buffer;
  /** Parsed JSON (undefined when not JSON). */
  json: unknown;
  /** What the receiver answered. */
  answered: number;
}

/** A tiny local HTTP server playing the app's webhook endpoint (127.0.0.1 only). */
export interface Receiver {
  url: string;
  /** POSTs received, in arrival order. */
  posts: ReceivedRequest[];
  /** Decides the status for each POST (default 200). `n` counts POSTs from 1. */
  respond: (request: ReceivedRequest, n: number) => number | Promise<number>;
  /** Resolves once `count` POSTs have arrived. */
  waitForPosts(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/**
 * Starts the fake app: answers Meta's GET handshake (200 + challenge for `verifyToken`, 403
 * otherwise) and records every POST with its raw bytes.
 */
export async function startReceiver(verifyToken = "verify-me"): Promise<Receiver> {
  const waiters: { count: number; resolve: () => void }[] = [];
  const receiver: Receiver = {
    url: "",
    posts: [],
    respond: () => 200,
    async waitForPosts(count, timeoutMs = 5_000) {
      if (receiver.posts.length >= count) return receiver.posts;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`expected ${count} webhook POSTs, got ${receiver.posts.length}`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
      return receiver.posts;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (req.method === "GET") {
        const ok =
          url.searchParams.get("hub.mode") === "subscribe" &&
          url.searchParams.get("hub.verify_token") === verifyToken;
        res.writeHead(ok ? 200 : 403, { "Content-Type": "text/plain" });
        res.end(ok ? (url.searchParams.get("hub.challenge") ?? "") : "Forbidden");
        return;
      }
      const raw = Buffer.concat(chunks);
      let json: unknown;
      try {
        json = JSON.parse(raw.toString("utf8"));
      } catch {
        json = undefined;
      }
      const request: ReceivedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        raw,
        json,
        answered: 0,
      };
      receiver.posts.push(request);
      const status = await receiver.respond(request, receiver.posts.length);
      request.answered = status;
      res.writeHead(status, { "Content-Type": "text/plain" });
      res.end(status === 200 ? "EVENT_RECEIVED" : "nope");
      for (const waiter of [...waiters]) {
        if (receiver.posts.length >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp`;
  return receiver;
}

/** The app-side check, written independently of the emulator's signer. */
export function expectedSignature(raw: Buffer, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`;
}

export const appSecret = "test_app_secret";
export const verifyToken = "verify-me";

/** An emulator on a free port, wired to a fresh receiver, with compressed timings. */
export async function startPair(options: CloudApiEmulatorOptions = {}): Promise<{
  emulator: CloudApiEmulator;
  receiver: Receiver;
  graph: GraphClient;
  close: () => Promise<void>;
}> {
  const receiver = await startReceiver(verifyToken);
  const emulator = createCloudApiEmulator({
    webhook: { url: receiver.url, appSecret, verifyToken },
    ...options,
    settings: { ...compressedTimings, ...options.settings },
  });
  await emulator.start();
  const graph = graphClient(emulator.url, emulator.accessToken);
  return {
    emulator,
    receiver,
    graph,
    close: async () => {
      await emulator.stop();
      await receiver.close();
    },
  };
}

/** A Graph response: status and parsed body. */
export interface GraphResponse {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read Meta's loosely typed bodies.
  body: any;
  headers: Headers;
}

/** A minimal Graph client for tests (the runtime has its own; this one must stay independent). */
export type GraphClient = (
  method: string,
  path: string,
  options?: { body?: unknown; token?: string | null; form?: FormData },
) => Promise<GraphResponse>;

export function graphClient(baseUrl: string, token: string): GraphClient {
  return async (method, path, options = {}) => {
    const headers: Record<string, string> = {};
    const auth = options.token === undefined ? token : options.token;
    if (auth !== null) headers.Authorization = `Bearer ${auth}`;
    let body: string | FormData | undefined;
    if (options.form) body = options.form;
    else if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.body);
    }
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (e.g. media bytes)
    }
    return { status: response.status, body: parsed, headers: response.headers };
  };
}

/** Polls until `check` returns a value (or throws after the timeout). */
export async function eventually<T>(
  check: () => T | undefined | false,
  timeoutMs = 3_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
