import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { describeOffsiteError, type OffsiteStorage, openOffsiteStorage } from "./offsiteStorage.js";

// The S3 seam against a real S3-compatible server (s3rver) on 127.0.0.1.
let work: string;
let server: S3rver;
let storage: OffsiteStorage;
let endpoint: string;
const BUCKET = "seam-test";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const settings = (overrides: Record<string, string> = {}) =>
  loadConfig({
    ATENDE_HOME: work,
    ATENDE_BACKUP_S3_ENDPOINT: endpoint,
    ATENDE_BACKUP_S3_BUCKET: BUCKET,
    ATENDE_BACKUP_S3_PREFIX: "seam",
    ATENDE_BACKUP_S3_ACCESS_KEY_ID: "S3RVER",
    ATENDE_BACKUP_S3_SECRET_ACCESS_KEY: "S3RVER",
    ATENDE_BACKUP_S3_FORCE_PATH_STYLE: "true",
    ...overrides,
  });

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "atende-s3-seam-"));
  server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    directory: path.join(work, "s3"),
    silent: true,
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  storage = (await openOffsiteStorage(settings())) as OffsiteStorage;
});

afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("the S3-compatible storage seam", () => {
  it("is off without a bucket", async () => {
    expect(await openOffsiteStorage(loadConfig({ ATENDE_HOME: work }))).toBeUndefined();
  });

  it("uploads a big file in parts and downloads the same bytes, with their sha256", async () => {
    const bytes = randomBytes(40 * 1024 * 1024);
    const file = path.join(work, "big.bin");
    await writeFile(file, bytes);
    const key = storage.keyOf("acme", "20261128T000000Z-aaaaaa", "db.part");
    expect(key).toBe("seam/acme/20261128T000000Z-aaaaaa/db.part");
    expect(storage.location).toBe(`s3://${BUCKET}/seam`);
    await storage.upload(key, file, { sha256: sha256(bytes), bytes: bytes.length });

    const back = path.join(work, "back.bin");
    expect(await storage.download(key, back)).toEqual({
      sha256: sha256(bytes),
      bytes: bytes.length,
    });
    expect((await readFile(back)).equals(bytes)).toBe(true);
  }, 60_000);

  it("refuses an upload whose stored size does not match what the manifest says", async () => {
    const file = path.join(work, "small.bin");
    await writeFile(file, "twelve bytes");
    await expect(
      storage.upload("seam/acme/x/small.bin", file, { sha256: "0".repeat(64), bytes: 13 }),
    ).rejects.toThrow("s3 stored 12 bytes for seam/acme/x/small.bin, expected 13");
  });

  it("lists and deletes a backup's objects, and deleting missing ones is fine", async () => {
    const file = path.join(work, "one.bin");
    await writeFile(file, "one");
    const one = { sha256: sha256(Buffer.from("one")), bytes: 3 };
    await storage.upload("seam/shop/b1/a", file, one);
    await storage.upload("seam/shop/b1/b", file, one);
    await storage.upload("seam/shop/b10/a", file, one);
    expect((await storage.list("seam/shop/b1/")).sort()).toEqual([
      "seam/shop/b1/a",
      "seam/shop/b1/b",
    ]);
    await storage.remove(["seam/shop/b1/a", "seam/shop/b1/b", "seam/shop/b1/gone"]);
    expect(await storage.list("seam/shop/b1/")).toEqual([]);
    expect(await storage.list("seam/shop/b10/")).toEqual(["seam/shop/b10/a"]);
  });

  it("fails with the service's reason, and never the secret, on bad credentials", async () => {
    const wrong = (await openOffsiteStorage(
      settings({
        ATENDE_BACKUP_S3_ACCESS_KEY_ID: "NOT-A-KEY",
        ATENDE_BACKUP_S3_SECRET_ACCESS_KEY: "seam-secret-value",
      }),
    )) as OffsiteStorage;
    const file = path.join(work, "one.bin");
    const error = await wrong
      .upload("seam/x/y", file, { sha256: "0".repeat(64), bytes: 3 })
      .catch((failure: unknown) => failure);
    const reason = describeOffsiteError(error);
    expect(reason).toContain("InvalidAccessKeyId (HTTP 403)");
    expect(reason).not.toContain("seam-secret-value");
  });
});
