import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { deflateSync } from "node:zlib";
import type { Browser, Locator, Page } from "playwright-core";
import { buildWebAssets, launchChromium, screenshotDir } from "./browser.js";
import {
  createTestComponents,
  getTestServer,
  type TestComponents,
  type TestServer,
} from "./support.js";
import { startWhatsappStack, type WhatsappStack } from "./whatsappStack.js";

/** What tells a browser test the sign-in is done: the inbox's live link, or landing on `/`. */
export type SignedInSignal = "connected" | "home";

/** An e-mail and password to type into the login form. */
export interface Credentials {
  email: string;
  password: string;
}

/** Signs in through the login form at `baseUrl` and waits for `until`. */
export async function signInOnPage(
  page: Page,
  baseUrl: string,
  credentials: Credentials,
  until: SignedInSignal = "connected",
): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("E-mail").fill(credentials.email);
  await page.getByLabel("Senha").fill(credentials.password);
  await page.getByRole("button", { name: "Entrar" }).click();
  if (until === "connected") await page.getByText("Conectado").waitFor();
  else await page.waitForURL((url) => url.pathname === "/");
}

/**
 * A new page in `browser`, signed in; uncaught page errors go to `problems` when given, so a
 * test can assert none happened.
 */
export async function openSignedInPage(
  browser: Browser,
  baseUrl: string,
  credentials: Credentials,
  options: {
    viewport: { width: number; height: number };
    until?: SignedInSignal;
    problems?: string[];
  },
): Promise<Page> {
  const page = await browser.newPage({ viewport: options.viewport });
  const { problems } = options;
  if (problems) page.on("pageerror", (error) => problems.push(error.message));
  await signInOnPage(page, baseUrl, credentials, options.until);
  return page;
}

/** The web build, a runtime serving it and Chromium, for pages that need no WhatsApp. */
export interface BrowserServer {
  components: TestComponents;
  server: TestServer;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Runs `start`, which registers how to undo each thing it starts; undoes them newest first on
 * `close`, or at once when a later step fails, so a broken setup leaves nothing running.
 */
async function startAll<T>(
  start: (onClose: (undo: () => Promise<unknown>) => void) => Promise<T>,
): Promise<T & { close(): Promise<void> }> {
  const undos: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const undo of undos.splice(0).reverse()) await undo();
  };
  try {
    return { ...(await start((undo) => undos.push(undo))), close };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}

/** Builds the web assets, starts a runtime serving them and launches Chromium. */
export function startBrowserServer(label: string): Promise<BrowserServer> {
  return startAll(async (onClose) => {
    const web = await buildWebAssets(label);
    onClose(() => rm(web.root, { recursive: true, force: true }));
    const components = await createTestComponents();
    onClose(() => components.cleanup());
    const server = await getTestServer(components, { publicDir: web.publicDir });
    onClose(() => server.close());
    await mkdir(screenshotDir, { recursive: true });
    const browser = await launchChromium();
    onClose(() => browser.close());
    return { components, server, browser };
  });
}

/** The web build, the runtime with its workers and the Cloud API emulator, and Chromium. */
export interface BrowserStack {
  components: TestComponents;
  stack: WhatsappStack;
  browser: Browser;
  /** The media folder, when asked for one. */
  mediaDir: string | undefined;
  close(): Promise<void>;
}

/**
 * Starts everything an inbox browser test needs; with `mediaDir`, media files go to a fresh
 * temporary folder, deleted on close.
 */
export function startBrowserStack(
  label: string,
  options: {
    mediaDir?: boolean;
    stack?: { mediaRetryDelayMs?: number; sendRetryDelayMs?: number };
  } = {},
): Promise<BrowserStack> {
  return startAll(async (onClose) => {
    const web = await buildWebAssets(label);
    onClose(() => rm(web.root, { recursive: true, force: true }));
    const mediaDir = options.mediaDir
      ? path.join("/tmp", `atende-${label}-media-${randomBytes(4).toString("hex")}`)
      : undefined;
    if (mediaDir) onClose(() => rm(mediaDir, { recursive: true, force: true }));
    const components = await createTestComponents(
      mediaDir ? { env: { MEDIA_DIR: mediaDir } } : undefined,
    );
    onClose(() => components.cleanup());
    const stack = await startWhatsappStack(components, {
      ...options.stack,
      publicDir: web.publicDir,
    });
    onClose(() => stack.close());
    await mkdir(screenshotDir, { recursive: true });
    const browser = await launchChromium();
    onClose(() => browser.close());
    return { components, stack, browser, mediaDir };
  });
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A real RGB PNG whose pixel rows (`width * 3` bytes each) come from `row`. */
export function rgbPng(width: number, height: number, row: () => Buffer): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.concat(
    Array.from({ length: height }, () => Buffer.concat([Buffer.from([0]), row()])),
  );
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/**
 * Clicks the inbox's conversation whose row names `name` (waiting for it to appear) and waits
 * for its thread.
 * @returns the thread's region
 */
export async function openConversation(page: Page, name: string): Promise<Locator> {
  const item = page.getByRole("button", { name: new RegExp(name) });
  await item.waitFor({ timeout: 15_000 });
  await item.click();
  const thread = page.getByRole("region", { name: `Conversa com ${name}` });
  await thread.waitFor();
  return thread;
}
