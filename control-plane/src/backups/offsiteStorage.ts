import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ControlPlaneConfig } from "../config.js";

/**
 * The one place that talks to S3-compatible storage (ADR 0006). Everything else sees this
 * interface, so another store (or a newer SDK) changes one file.
 */
export interface OffsiteStorage {
  /** `s3://bucket/prefix` — where copies go, for the catalogue and the CLI (never credentials). */
  readonly location: string;
  /** The object key of a file of a backup. */
  keyOf(tenant: string, backupId: string, file: string): string;
  /**
   * Uploads a file (multipart when it is big) and checks the stored object: its size and the
   * sha256 recorded with it must match the local file's.
   */
  upload(key: string, file: string, expected: { sha256: string; bytes: number }): Promise<void>;
  /** Downloads an object to a file, hashing on the way; returns what arrived. */
  download(key: string, file: string): Promise<{ sha256: string; bytes: number }>;
  /** The keys of the objects under a prefix (e.g. one backup's `.../<tenant>/<id>/`). */
  list(prefix: string): Promise<string[]>;
  /** Deletes objects; keys that are already gone are fine. */
  remove(keys: string[]): Promise<void>;
}

/** Parts of a multipart upload: 16 MiB (S3 allows at most 10,000 parts, at least 5 MiB each). */
const PART_BYTES = 16 * 1024 * 1024;

/** The sha256 of an object is kept in its user metadata under this name. */
const SHA256_METADATA = "atende-sha256";

/** The S3 settings of a configuration, or undefined when no bucket is configured. */
export function offsiteSettings(config: ControlPlaneConfig) {
  const bucket = config.ATENDE_BACKUP_S3_BUCKET;
  const accessKeyId = config.ATENDE_BACKUP_S3_ACCESS_KEY_ID;
  const secretAccessKey = config.ATENDE_BACKUP_S3_SECRET_ACCESS_KEY;
  if (bucket === undefined || accessKeyId === undefined || secretAccessKey === undefined)
    return undefined;
  return {
    bucket,
    region: config.ATENDE_BACKUP_S3_REGION,
    prefix: config.ATENDE_BACKUP_S3_PREFIX,
    forcePathStyle: config.ATENDE_BACKUP_S3_FORCE_PATH_STYLE,
    credentials: { accessKeyId, secretAccessKey },
    ...(config.ATENDE_BACKUP_S3_ENDPOINT ? { endpoint: config.ATENDE_BACKUP_S3_ENDPOINT } : {}),
  };
}

/**
 * Opens the configured S3-compatible storage, or resolves to undefined when off-site copies are
 * off. The SDK is imported only here and only then, so the CLI stays light without S3.
 */
export async function openOffsiteStorage(
  config: ControlPlaneConfig,
): Promise<OffsiteStorage | undefined> {
  const settings = offsiteSettings(config);
  if (!settings) return undefined;
  // The host runs Node 20 (ADR 0003); the SDK's notice about its future Node 22 requirement
  // would otherwise be printed by every backup command.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const s3 = await import("@aws-sdk/client-s3");
  const { Upload } = await import("@aws-sdk/lib-storage");
  const client = new s3.S3Client({
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    credentials: settings.credentials,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    // Our own sha256 is the check; the SDK's default CRC32 trailers are not understood by
    // every S3-compatible server.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: 3,
  });
  const { bucket, prefix } = settings;
  return {
    location: `s3://${bucket}${prefix ? `/${prefix}` : ""}`,
    keyOf: (tenant, backupId, file) => [prefix, tenant, backupId, file].filter(Boolean).join("/"),
    async upload(key, file, expected) {
      const upload = new Upload({
        client,
        partSize: PART_BYTES,
        queueSize: 2,
        leavePartsOnError: false,
        params: {
          Bucket: bucket,
          Key: key,
          Body: createReadStream(file, { highWaterMark: 1024 * 1024 }),
          ContentLength: (await stat(file)).size,
          ContentType: "application/octet-stream",
          Metadata: { [SHA256_METADATA]: expected.sha256 },
        },
      });
      await upload.done();
      const head = await client.send(new s3.HeadObjectCommand({ Bucket: bucket, Key: key }));
      if (head.ContentLength !== expected.bytes)
        throw new Error(
          `s3 stored ${head.ContentLength ?? "?"} bytes for ${key}, expected ${expected.bytes}`,
        );
      if (head.Metadata?.[SHA256_METADATA] !== expected.sha256)
        throw new Error(`s3 did not keep the sha256 of ${key}`);
    },
    async download(key, file) {
      const answer = await client.send(new s3.GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!answer.Body) throw new Error(`s3 answered no body for ${key}`);
      const hash = new HashingPassThrough();
      await pipeline(
        answer.Body as NodeJS.ReadableStream,
        hash,
        createWriteStream(file, { mode: 0o600 }),
      );
      return { sha256: hash.digest(), bytes: hash.bytes };
    },
    async list(keyPrefix) {
      const found: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new s3.ListObjectsV2Command({
            Bucket: bucket,
            Prefix: keyPrefix,
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
        for (const object of page.Contents ?? []) if (object.Key) found.push(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return found;
    },
    async remove(keys) {
      for (let start = 0; start < keys.length; start += 1000) {
        const batch = keys.slice(start, start + 1000);
        const answer = await client.send(
          new s3.DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
        );
        const failed = (answer.Errors ?? []).filter((error) => error.Code !== "NoSuchKey");
        if (failed.length > 0)
          throw new Error(
            `s3 refused to delete ${failed.map((error) => `${error.Key}: ${error.Code}`).join(", ")}`,
          );
      }
    },
  };
}

/** Passes bytes through unchanged, counting and hashing them. */
class HashingPassThrough extends Transform {
  readonly #hash = createHash("sha256");
  bytes = 0;
  digest(): string {
    return this.#hash.digest("hex");
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

/** A short, credential-free description of an S3 failure for the catalogue and the CLI. */
export function describeOffsiteError(error: unknown): string {
  const failure = error as {
    name?: string;
    Code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const code = failure.Code ?? failure.name ?? "Error";
  const status = failure.$metadata?.httpStatusCode;
  const message = (failure.message ?? String(error)).replace(/\s+/g, " ").slice(0, 300);
  return `${code}${status ? ` (HTTP ${status})` : ""}: ${message}`;
}
