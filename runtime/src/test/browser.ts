import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type Browser, chromium } from "playwright-core";

const runtimeRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Where browser tests save their screenshots (the repository's `test-results/screenshots`). */
export const screenshotDir = path.resolve(runtimeRoot, "../test-results/screenshots");

/**
 * Builds the inbox's web assets alone into a temporary folder (`scripts/build.mjs --web-only`).
 * @returns the folder to pass as `publicDir` (its `public/`) and the folder to delete afterwards
 */
export async function buildWebAssets(label: string): Promise<{ publicDir: string; root: string }> {
  const root = await mkdtemp(path.join(tmpdir(), `atende-${label}-web-`));
  await promisify(execFile)(process.execPath, ["scripts/build.mjs", "--web-only", root], {
    cwd: runtimeRoot,
  });
  return { publicDir: path.join(root, "public"), root };
}

/** Debian's Chromium, headless, quiet (no network of its own, no updates). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
