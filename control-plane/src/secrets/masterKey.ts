import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { chmod, mkdir, open, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { ControlPlaneConfig } from "../config.js";
import { AtendeError } from "../errors.js";

const KEY_BYTES = 32;

const masterKeyInvalid = (message: string, hint: string) =>
  new AtendeError("master_key_invalid", message, { hint });

/** Where the master key comes from, for `atende doctor`. */
export type MasterKeySource =
  | { kind: "environment" }
  | { kind: "file"; path: string; created: boolean };

/** Path of the key file used when ATENDE_MASTER_KEY is unset. */
export const masterKeyPath = (config: Pick<ControlPlaneConfig, "ATENDE_HOME">) =>
  path.join(config.ATENDE_HOME, "master.key");

/**
 * The key that encrypts every tenant secret in the registry: from ATENDE_MASTER_KEY, or from a
 * key file created on first use with mode 0600. A key file readable by group or others is
 * refused, because anyone who reads it reads every tenant's database password.
 */
export async function loadMasterKey(
  config: Pick<ControlPlaneConfig, "ATENDE_HOME" | "ATENDE_MASTER_KEY">,
  options: { create?: boolean } = {},
): Promise<{ key: Buffer; source: MasterKeySource }> {
  if (config.ATENDE_MASTER_KEY !== undefined) {
    const key = Buffer.from(config.ATENDE_MASTER_KEY, "base64");
    if (key.length !== KEY_BYTES) {
      throw masterKeyInvalid(
        `ATENDE_MASTER_KEY must be the base64 encoding of ${KEY_BYTES} bytes (it decodes to ${key.length}).`,
        "Generate one with `openssl rand -base64 32`.",
      );
    }
    return { key, source: { kind: "environment" } };
  }

  const file = masterKeyPath(config);
  const existing = await readKeyFile(file);
  if (existing) return { key: existing, source: { kind: "file", path: file, created: false } };
  if (options.create === false) {
    throw masterKeyInvalid(
      `There is no master key yet (${file}).`,
      "It is created by the first `atende tenant create`.",
    );
  }

  await mkdir(config.ATENDE_HOME, { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  try {
    // O_EXCL: two processes creating the key at once must not end up with different keys.
    const handle = await open(
      file,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
      0o600,
    );
    await handle.writeFile(`${key.toString("base64")}\n`);
    await handle.sync();
    await handle.close();
    await chmod(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      const raced = await readKeyFile(file);
      if (raced) return { key: raced, source: { kind: "file", path: file, created: false } };
    }
    throw error;
  }
  return { key, source: { kind: "file", path: file, created: true } };
}

async function readKeyFile(file: string): Promise<Buffer | undefined> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  if ((info.mode & 0o077) !== 0) {
    throw masterKeyInvalid(
      `The master key file ${file} is readable by other users (mode ${(info.mode & 0o777).toString(8)}).`,
      `Run \`chmod 600 ${file}\`.`,
    );
  }
  const key = Buffer.from((await readFile(file, "utf8")).trim(), "base64");
  if (key.length !== KEY_BYTES) {
    throw masterKeyInvalid(
      `The master key file ${file} does not hold a ${KEY_BYTES}-byte key.`,
      "Restore it from your backup of the control plane; without it tenant secrets cannot be read.",
    );
  }
  return key;
}
