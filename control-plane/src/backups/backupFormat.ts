import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { PassThrough, type Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createBrotliCompress, createBrotliDecompress, constants as zlib } from "node:zlib";
import { z } from "zod";
import { AtendeError } from "../errors.js";
import type { SecretBox } from "../secrets/secretBox.js";

/**
 * Bumped when the layout of a backup changes; restore refuses formats it does not know.
 * 1: the database as a logical dump (`db.sql.br.enc`, brotli in the control plane).
 * 2: the database as a physical hot backup (`db.mbstream.zst.enc`: `mariadb-backup
 *    --stream=mbstream`, zstd in the db container). Both are restorable (ADR 0004).
 */
export const BACKUP_FORMAT = 2;
export type BackupFormatVersion = 1 | 2;
export const MANIFEST_FILE = "manifest.json";

/** The parts of a backup written now (format 2), in the order they are written. */
export const BACKUP_PARTS = {
  db: "db.mbstream.zst.enc",
  media: "media.tar.br.enc",
  config: "config.json.br.enc",
} as const;
export type BackupPartName = keyof typeof BACKUP_PARTS;

/** The database part of a format-1 backup (a logical dump). */
export const LEGACY_DB_PART = "db.sql.br.enc";

/** Every part file name any supported format uses: nothing else is ever read or fetched. */
export const KNOWN_PART_FILES: readonly string[] = [...Object.values(BACKUP_PARTS), LEGACY_DB_PART];

const partSchema = z.object({
  file: z.string(),
  /** Bytes before compression and encryption. */
  plainBytes: z.number().int().nonnegative(),
  /** Bytes on disk. */
  storedBytes: z.number().int().nonnegative(),
  /** sha256 of the bytes on disk (hex). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  iv: z.string(),
  tag: z.string(),
});
export type BackupPart = z.infer<typeof partSchema>;

const manifestSchema = z.object({
  format: z.union([z.literal(1), z.literal(2)]),
  id: z.string(),
  tenant: z.string(),
  kind: z.string(),
  createdAt: z.string(),
  atendeVersion: z.string(),
  appVersion: z.string(),
  template: z.object({ id: z.string(), version: z.number() }),
  tools: z.record(z.string(), z.string()),
  database: z.object({
    name: z.string(),
    tables: z.record(z.string(), z.number().int()),
    /**
     * How the db part was made (format 2): a physical `mariadb-backup` stream, compressed with
     * zstd in the container (the control plane only encrypts it). Absent in format 1: a
     * logical dump compressed like the other parts.
     */
    method: z.literal("mariadb-backup").optional(),
    compression: z.literal("zstd-1").optional(),
  }),
  encryption: z.object({
    algorithm: z.literal("aes-256-gcm"),
    /** Of the parts the control plane compresses (all of format 1; media and config of 2). */
    compression: z.literal("brotli-1"),
    /** The backup's data key, sealed with the master key. */
    sealedKey: z.string(),
  }),
  parts: z.object({ db: partSchema, media: partSchema, config: partSchema }),
  /** HMAC-SHA256 under the data key of this document without this field. */
  hmac: z.string(),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

export const backupCorrupt = (where: string, problem: string) =>
  new AtendeError("backup_corrupt", `The backup at ${where} cannot be used: ${problem}.`, {
    hint: "Nothing was changed. Pick another backup (`atende tenant backups <name>`); this one is damaged, incomplete or not made by this control plane.",
    data: { where },
  });

const keyContext = (tenant: string, id: string) => `backup:${tenant}:${id}`;
const partAad = (id: string, part: BackupPartName) => Buffer.from(`atende-backup:${id}:${part}`);

/** A fresh data key for one backup, and its sealed form for the manifest. */
export function newBackupKey(
  box: SecretBox,
  tenant: string,
  id: string,
): { key: Buffer; sealedKey: string } {
  const key = randomBytes(32);
  return { key, sealedKey: box.seal(key.toString("base64"), keyContext(tenant, id)) };
}

class Meter extends Transform {
  bytes = 0;
  readonly hash: ReturnType<typeof createHash> | undefined;
  constructor(withHash: boolean) {
    super();
    this.hash = withHash ? createHash("sha256") : undefined;
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash?.update(chunk);
    done(null, chunk);
  }
}

/**
 * Streams `source` through brotli (quality 1) and AES-256-GCM into `file`, hashing what lands
 * on disk. `compressed: true` skips brotli for a source that is compressed already (the
 * database stream, zstd in the container); `plainBytes` then counts the compressed bytes.
 * Nothing is buffered whole; backpressure reaches back to the source (the dump in the container).
 */
export async function writePart(
  source: Readable,
  options: {
    file: string;
    key: Buffer;
    backupId: string;
    part: BackupPartName;
    compressed?: boolean;
  },
): Promise<BackupPart> {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", options.key, iv);
  cipher.setAAD(partAad(options.backupId, options.part));
  const plain = new Meter(false);
  const stored = new Meter(true);
  const output = createWriteStream(options.file, { mode: 0o600, highWaterMark: 1024 * 1024 });
  if (options.compressed) await pipeline(source, plain, cipher, stored, output);
  else
    await pipeline(
      source,
      plain,
      // Quality 1: ~300 MB/s on one core with a better ratio than gzip -1 (~75 MB/s) on dumps.
      createBrotliCompress({ params: { [zlib.BROTLI_PARAM_QUALITY]: 1 } }),
      cipher,
      stored,
      output,
    );
  return {
    file: path.basename(options.file),
    plainBytes: plain.bytes,
    storedBytes: stored.bytes,
    sha256: (stored.hash as ReturnType<typeof createHash>).digest("hex"),
    iv: iv.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
  };
}

/**
 * The plain content of a part, decrypted and decompressed as it is read (`compressed: true`:
 * decrypted only, for a part stored already compressed). The GCM tag is checked at the end (an
 * error on the stream); callers verify checksums before reading.
 */
export function readPart(
  directory: string,
  part: BackupPart,
  options: { key: Buffer; backupId: string; name: BackupPartName; compressed?: boolean },
): Readable {
  const decipher = createDecipheriv("aes-256-gcm", options.key, Buffer.from(part.iv, "base64"));
  decipher.setAAD(partAad(options.backupId, options.name));
  decipher.setAuthTag(Buffer.from(part.tag, "base64"));
  const output = new PassThrough({ highWaterMark: 1024 * 1024 });
  const input = createReadStream(path.join(directory, part.file), { highWaterMark: 1024 * 1024 });
  (options.compressed
    ? pipeline(input, decipher, output)
    : pipeline(input, decipher, createBrotliDecompress(), output)
  ).catch((error: unknown) => output.destroy(error as Error));
  return output;
}

/** Reads a whole (small) part into memory: the config part. */
export async function readSmallPart(
  directory: string,
  part: BackupPart,
  options: { key: Buffer; backupId: string; name: BackupPartName },
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of readPart(directory, part, options)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function manifestBody(manifest: Omit<BackupManifest, "hmac">): string {
  return JSON.stringify(manifest);
}

/** Signs and writes the manifest, atomically (temp file + rename): the last thing a backup does. */
export async function writeManifest(
  directory: string,
  manifest: Omit<BackupManifest, "hmac">,
  key: Buffer,
): Promise<{ sha256: string; manifest: BackupManifest }> {
  const hmac = createHmac("sha256", key).update(manifestBody(manifest)).digest("hex");
  const signed: BackupManifest = { ...manifest, hmac };
  const text = `${JSON.stringify(signed, null, 2)}\n`;
  const temporary = path.join(directory, `.${MANIFEST_FILE}.tmp`);
  await writeFile(temporary, text, { mode: 0o600 });
  await rename(temporary, path.join(directory, MANIFEST_FILE));
  return { sha256: createHash("sha256").update(text).digest("hex"), manifest: signed };
}

/** A backup whose every byte has been checked against its signed manifest. */
export interface VerifiedBackup {
  directory: string;
  manifest: BackupManifest;
  key: Buffer;
}

/**
 * Checks a backup directory completely before anything is restored from it: the manifest is
 * there and well-formed, its data key opens with this master key, its HMAC matches, and every
 * part has exactly the recorded size and sha256.
 */
export async function verifyBackupFiles(
  directory: string,
  box: SecretBox,
): Promise<VerifiedBackup> {
  let text: string;
  try {
    text = await readFile(path.join(directory, MANIFEST_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw backupCorrupt(directory, "it has no manifest.json (the backup never finished)");
    throw error;
  }
  let parsed: BackupManifest;
  try {
    parsed = manifestSchema.parse(JSON.parse(text));
  } catch {
    throw backupCorrupt(directory, "its manifest.json is not a valid atende backup manifest");
  }
  let key: Buffer;
  try {
    key = Buffer.from(
      box.open(parsed.encryption.sealedKey, keyContext(parsed.tenant, parsed.id)),
      "base64",
    );
  } catch {
    throw backupCorrupt(
      directory,
      "its key cannot be opened with this master key (another control plane's backup, or an edited manifest)",
    );
  }
  const { hmac, ...body } = parsed;
  const expected = createHmac("sha256", key).update(manifestBody(body)).digest();
  const actual = Buffer.from(hmac, "hex");
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected))
    throw backupCorrupt(directory, "its manifest.json was modified after the backup was made");
  if (parsed.format === 2 && parsed.database.method !== "mariadb-backup")
    throw backupCorrupt(directory, "its manifest does not say how the database was copied");
  for (const [name, part] of Object.entries(parsed.parts)) {
    // File names come from the manifest: only the known part names, never a path.
    if (!KNOWN_PART_FILES.includes(part.file))
      throw backupCorrupt(directory, `its manifest names an unknown part file ${part.file}`);
    const file = path.join(directory, part.file);
    const size = await stat(file).then(
      (info) => info.size,
      () => undefined,
    );
    if (size === undefined)
      throw backupCorrupt(directory, `the ${name} part ${part.file} is missing`);
    if (size !== part.storedBytes) {
      throw backupCorrupt(
        directory,
        `the ${name} part ${part.file} has ${size} bytes, the manifest says ${part.storedBytes} (truncated or overwritten)`,
      );
    }
    if ((await sha256OfFile(file)) !== part.sha256)
      throw backupCorrupt(directory, `the ${name} part ${part.file} fails its sha256 checksum`);
  }
  return { directory, manifest: parsed, key };
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }))
    hash.update(chunk as Buffer);
  return hash.digest("hex");
}
