import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SecretBox } from "../secrets/secretBox.js";
import {
  BACKUP_FORMAT,
  BACKUP_PARTS,
  type BackupManifest,
  type BackupPartName,
  LEGACY_DB_PART,
  MANIFEST_FILE,
  newBackupKey,
  readPart,
  verifyBackupFiles,
  writeManifest,
  writePart,
} from "./backupFormat.js";

let directory: string;
const box = new SecretBox(randomBytes(32));
const id = "20261127T120000Z-abcdef";
// Incompressible and larger than one stream chunk, so streaming really happens.
const dump = Buffer.concat([Buffer.from("INSERT INTO `t` VALUES (1);\n"), randomBytes(600_000)]);

beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "atende-backup-"));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** A backup of the current format (the db part stored as given: compressed in the container). */
async function makeBackup(format: 1 | 2 = BACKUP_FORMAT): Promise<BackupManifest> {
  const { key, sealedKey } = newBackupKey(box, "acme", id);
  const legacy = format === 1;
  const write = (part: BackupPartName, content: Buffer) =>
    writePart(Readable.from([content]), {
      file: path.join(directory, legacy && part === "db" ? LEGACY_DB_PART : BACKUP_PARTS[part]),
      key,
      backupId: id,
      part,
      compressed: !legacy && part === "db",
    });
  const manifest: Omit<BackupManifest, "hmac"> = {
    format,
    id,
    tenant: "acme",
    kind: "manual",
    createdAt: new Date().toISOString(),
    atendeVersion: "0.1.0",
    appVersion: "0.1.0",
    template: { id: "default", version: 1 },
    tools: { dump: "mariadb-dump test" },
    database: legacy
      ? { name: "atende", tables: { t: 1 } }
      : { name: "atende", tables: { t: 1 }, method: "mariadb-backup", compression: "zstd-1" },
    encryption: { algorithm: "aes-256-gcm", compression: "brotli-1", sealedKey },
    parts: {
      db: await write("db", dump),
      media: await write("media", Buffer.from("tar bytes")),
      config: await write("config", Buffer.from('{"record":{}}')),
    },
  };
  await writeManifest(directory, manifest, key);
  return JSON.parse(await readFile(path.join(directory, MANIFEST_FILE), "utf8")) as BackupManifest;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("backup parts", () => {
  it("round-trip: what is written encrypted and compressed reads back byte for byte", async () => {
    const manifest = await makeBackup();
    const verified = await verifyBackupFiles(directory, box);
    expect(verified.manifest.parts.db.plainBytes).toBe(dump.length);
    expect(manifest.parts.db.sha256).toMatch(/^[0-9a-f]{64}$/);
    const back = await readAll(
      readPart(directory, verified.manifest.parts.db, {
        key: verified.key,
        backupId: id,
        name: "db",
        compressed: true,
      }),
    );
    expect(back.equals(dump)).toBe(true);
  });

  it("still reads a format-1 backup (a logical dump, brotli in the control plane)", async () => {
    await makeBackup(1);
    const verified = await verifyBackupFiles(directory, box);
    expect(verified.manifest.format).toBe(1);
    expect(verified.manifest.parts.db.file).toBe(LEGACY_DB_PART);
    const back = await readAll(
      readPart(directory, verified.manifest.parts.db, {
        key: verified.key,
        backupId: id,
        name: "db",
      }),
    );
    expect(back.equals(dump)).toBe(true);
  });

  it("stores no plaintext: the dump's text is not in the file", async () => {
    await makeBackup();
    const stored = await readFile(path.join(directory, BACKUP_PARTS.db));
    expect(stored.includes(Buffer.from("INSERT INTO"))).toBe(false);
  });

  it("detects tampering even without the checksum: GCM fails the stream", async () => {
    const manifest = await makeBackup();
    const file = path.join(directory, BACKUP_PARTS.db);
    const bytes = await readFile(file);
    bytes[Math.floor(bytes.length / 2)] = (bytes[Math.floor(bytes.length / 2)] as number) ^ 1;
    await writeFile(file, bytes);
    const { key } = await verifyKeyOnly();
    await expect(
      readAll(readPart(directory, manifest.parts.db, { key, backupId: id, name: "db" })),
    ).rejects.toThrow();
  });

  it("refuses a part swapped in from another backup position (associated data)", async () => {
    const manifest = await makeBackup();
    const { key } = await verifyKeyOnly();
    await expect(
      readAll(readPart(directory, manifest.parts.db, { key, backupId: id, name: "media" })),
    ).rejects.toThrow();
  });
});

// The data key, opened the way verification does, but without checking the parts.
async function verifyKeyOnly(): Promise<{ key: Buffer }> {
  const manifest = JSON.parse(
    await readFile(path.join(directory, MANIFEST_FILE), "utf8"),
  ) as BackupManifest;
  return {
    key: Buffer.from(box.open(manifest.encryption.sealedKey, `backup:acme:${id}`), "base64"),
  };
}

describe("verifyBackupFiles", () => {
  it("refuses a flipped byte with the part's name and nothing else", async () => {
    await makeBackup();
    const file = path.join(directory, BACKUP_PARTS.db);
    const bytes = await readFile(file);
    bytes[100] = (bytes[100] as number) ^ 0xff;
    await writeFile(file, bytes);
    await expect(verifyBackupFiles(directory, box)).rejects.toMatchObject({
      id: "backup_corrupt",
      message: expect.stringContaining(`db part ${BACKUP_PARTS.db} fails its sha256 checksum`),
    });
  });

  it("refuses a truncated part, saying how many bytes are missing", async () => {
    const manifest = await makeBackup();
    await truncate(path.join(directory, BACKUP_PARTS.media), manifest.parts.media.storedBytes - 3);
    await expect(verifyBackupFiles(directory, box)).rejects.toThrow(/truncated/);
  });

  it("refuses a backup without a manifest (never finished)", async () => {
    await makeBackup();
    await rm(path.join(directory, MANIFEST_FILE));
    await expect(verifyBackupFiles(directory, box)).rejects.toThrow(/no manifest\.json/);
  });

  it("refuses a manifest whose checksum was edited to match a tampered part", async () => {
    const manifest = await makeBackup();
    manifest.database.tables.t = 2;
    await writeFile(path.join(directory, MANIFEST_FILE), JSON.stringify(manifest));
    await expect(verifyBackupFiles(directory, box)).rejects.toThrow(/modified after/);
  });

  it("refuses a backup made under another master key", async () => {
    await makeBackup();
    await expect(verifyBackupFiles(directory, new SecretBox(randomBytes(32)))).rejects.toThrow(
      /master key/,
    );
  });

  it("refuses a missing part and a manifest that is not JSON", async () => {
    await makeBackup();
    await rm(path.join(directory, BACKUP_PARTS.config));
    await expect(verifyBackupFiles(directory, box)).rejects.toThrow(/config part .* is missing/);
    await writeFile(path.join(directory, MANIFEST_FILE), "{ not json");
    await expect(verifyBackupFiles(directory, box)).rejects.toThrow(/not a valid/);
  });
});
