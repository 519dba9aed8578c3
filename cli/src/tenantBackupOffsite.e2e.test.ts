import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT_CODES } from "./errors.js";
import { atende, e2eHome, nodeInContainer, randomTenantName } from "./test/e2e.js";

// Off-site copies against a real S3-compatible server (s3rver, a Node implementation of the
// S3 REST API) on 127.0.0.1, and a real tenant on the real Docker engine.

interface Backup {
  id: string;
  path: string;
  offsite: string | null;
}
interface Entry {
  id: string;
  kind: string;
  status: string;
  path: string;
  createdAt: string;
  remote: { location: string; state: string; error: string | null } | null;
}

const BUCKET = "atende-offsite";
const SECRET = "s3t-secret-never-printed";
const name = randomTenantName("s3t");
let home: Awaited<ReturnType<typeof e2eHome>>;
let s3dir: string;
let server: S3rver;
let s3: S3Client;
let env: Record<string, string>;
let first: Backup;

const run = (args: string[], extra: Record<string, string> = {}) =>
  atende(args, { ...env, ...extra });
const json = <T>(text: string) => JSON.parse(text) as T;
const catalogue = async () =>
  json<Entry[]>((await run(["tenant", "backups", name, "--json"])).stdout);

async function keys(prefix = `prod/${name}/`): Promise<string[]> {
  const answer = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (answer.Contents ?? []).map((object) => object.Key ?? "").sort();
}

async function objectBytes(key: string): Promise<Buffer> {
  const answer = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(
    await (answer.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

const readMedia = async (file: string) =>
  (
    await nodeInContainer(
      `atende-${name}-app`,
      `try{process.stdout.write(require("fs").readFileSync(${JSON.stringify(file)},"utf8"))}catch(e){process.stdout.write(e.code)}`,
    )
  ).output;

const writeMedia = (file: string, content: string) =>
  nodeInContainer(
    `atende-${name}-app`,
    `const fs=require("fs");fs.mkdirSync(require("path").dirname(${JSON.stringify(file)}),{recursive:true});fs.writeFileSync(${JSON.stringify(file)},${JSON.stringify(content)})`,
  );

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  home = await e2eHome();
  s3dir = await mkdtemp(path.join(tmpdir(), "atende-s3rver-"));
  server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    directory: s3dir,
    silent: true,
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  const { port } = await server.run();
  // s3rver knows one account, S3RVER; it checks the access key id (not SigV4 signatures).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  s3 = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
  env = {
    ...home.env,
    ATENDE_BACKUP_S3_ENDPOINT: `http://127.0.0.1:${port}`,
    ATENDE_BACKUP_S3_BUCKET: BUCKET,
    ATENDE_BACKUP_S3_PREFIX: "prod",
    ATENDE_BACKUP_S3_ACCESS_KEY_ID: "S3RVER",
    ATENDE_BACKUP_S3_SECRET_ACCESS_KEY: SECRET,
    ATENDE_BACKUP_S3_FORCE_PATH_STYLE: "true",
  };
  const created = await run(["tenant", "create", name, "--admin-email", `a@${name}.example`]);
  expect(created.code).toBe(0);
});

afterAll(async () => {
  if (env) await run(["tenant", "destroy", name, "--yes"]);
  await server?.close();
  if (s3dir) await rm(s3dir, { recursive: true, force: true });
  await home?.dispose();
});

describe("off-site copies of backups in S3-compatible storage", () => {
  it("uploads every part and then the manifest, and lists where each copy is", async () => {
    await writeMedia("/app/media/offsite.txt", "kept off-site");
    const result = await run(["tenant", "backup", name, "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code, result.stderr).toBe(0);
    first = json<Backup>(result.stdout);
    const location = `s3://${BUCKET}/prod/${name}/${first.id}/`;
    expect(first.offsite).toBe(location);

    const files = (await readdir(first.path)).sort();
    expect(files).toContain("manifest.json");
    expect(files).toHaveLength(4);
    expect(await keys()).toEqual(files.map((file) => `prod/${name}/${first.id}/${file}`));
    // The copy is byte for byte the local backup.
    for (const file of files)
      expect(
        (await objectBytes(`prod/${name}/${first.id}/${file}`)).equals(
          await readFile(path.join(first.path, file)),
        ),
      ).toBe(true);

    const [entry] = await catalogue();
    expect(entry?.remote).toEqual({
      location,
      state: "uploaded",
      error: null,
      at: expect.any(String),
    });
    const table = (await run(["tenant", "backups", name])).stdout;
    expect(table).toContain(`local + ${location}`);
  });

  it("restores from the off-site copy when the local copy is gone", async () => {
    await rm(first.path, { recursive: true });
    expect((await run(["tenant", "backups", name])).stdout).toContain("LOCAL MISSING");
    await writeMedia("/app/media/offsite.txt", "changed after the backup");

    const result = await run(["tenant", "restore", name, "--from", first.id, "--yes", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(await readMedia("/app/media/offsite.txt")).toBe("kept off-site");
    // The download is back in place, complete, and the safety backup went off-site too.
    expect(await exists(path.join(first.path, "manifest.json"))).toBe(true);
    const safety = json<{ safetyBackupId: string }>(result.stdout).safetyBackupId;
    expect((await catalogue()).find((entry) => entry.id === safety)?.remote?.state).toBe(
      "uploaded",
    );
  });

  it("refuses a corrupted off-site copy before touching anything", async () => {
    await rm(first.path, { recursive: true });
    const dbPart = (await keys()).find((key) => key.startsWith(`prod/${name}/${first.id}/db.`));
    const key = dbPart ?? "";
    const bytes = await objectBytes(key);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] as number) ^ 0x01;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes }));
    await writeMedia("/app/media/offsite.txt", "still here");
    const before = (await catalogue()).length;

    const result = await run(["tenant", "restore", name, "--from", first.id, "--yes"]);
    expect(result.code).toBe(EXIT_CODES.invalidInput);
    expect(result.stderr).toContain("off-site copy");
    expect(result.stderr).toContain(`db part ${path.basename(key)} fails its sha256 checksum`);
    expect(result.stderr).toContain("Nothing was changed");
    // No safety backup, no half-downloaded directory, the tenant's data untouched.
    expect(await catalogue()).toHaveLength(before);
    expect(await exists(first.path)).toBe(false);
    expect(await readMedia("/app/media/offsite.txt")).toBe("still here");
  });

  it("fails loudly with bad credentials but keeps the good local backup", async () => {
    const result = await run(["tenant", "backup", name, "--json"], {
      ATENDE_BACKUP_S3_ACCESS_KEY_ID: "NOT-A-KEY",
    });
    expect(result.code).toBe(EXIT_CODES.unhealthy);
    expect(result.stderr).toContain("was written locally, but its off-site copy failed");
    expect(result.stderr).toContain("InvalidAccessKeyId");
    expect(`${result.stdout}${result.stderr}`).not.toContain(SECRET);

    const [newest] = await catalogue();
    expect(newest?.status).toBe("succeeded");
    expect(newest?.remote).toMatchObject({ state: "failed" });
    expect(newest?.remote?.error).toContain("InvalidAccessKeyId");
    expect(await exists(path.join(newest?.path ?? "", "manifest.json"))).toBe(true);
    expect((await run(["tenant", "backups", name])).stdout).toContain("OFF-SITE COPY FAILED");
  });

  it("deletes the off-site copies of the backups retention prunes", async () => {
    const result = await run([
      "tenant",
      "backup",
      name,
      "--prune",
      "--keep-daily",
      "1",
      "--keep-weekly",
      "0",
      "--keep-monthly",
      "0",
      "--json",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const kept = json<Backup & { pruned: string[] }>(result.stdout);
    expect(kept.pruned).toContain(first.id);
    expect((await catalogue()).map((entry) => entry.id)).toEqual([kept.id]);
    expect(await keys()).toEqual(
      (await readdir(kept.path)).sort().map((file) => `prod/${name}/${kept.id}/${file}`),
    );
  });

  it("backs up due tenants with `atende backup run-due`, once per scheduled time", async () => {
    // Schedule the backup for the current minute, after the last backup started.
    const [last] = await catalogue();
    const lastStart = Date.parse(last?.createdAt ?? "");
    if (Math.floor(Date.now() / 60_000) * 60_000 <= lastStart)
      await new Promise((resolve) => setTimeout(resolve, 60_000 - (Date.now() % 60_000) + 1000));
    const slot = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const schedule = {
      ATENDE_BACKUP_SCHEDULE: slot.toISOString().slice(11, 16),
      ATENDE_BACKUP_TIMEZONE: "UTC",
      ATENDE_BACKUP_KEEP_DAILY: "1",
      ATENDE_BACKUP_KEEP_WEEKLY: "0",
      ATENDE_BACKUP_KEEP_MONTHLY: "0",
    };
    const due = await run(["backup", "run-due", "--json"], schedule);
    expect(due.code, due.stderr).toBe(0);
    const report = json<{
      due: string[];
      failed: number;
      results: Array<{ tenant: string; status: string; backupId: string; pruned: string[] }>;
    }>(due.stdout);
    expect(report).toMatchObject({ due: [name], failed: 0 });
    expect(report.results[0]).toMatchObject({ tenant: name, status: "succeeded" });
    expect(report.results[0]?.pruned).toEqual([last?.id]);
    const entries = await catalogue();
    expect(entries.map((entry) => [entry.kind, entry.remote?.state])).toEqual([
      ["scheduled", "uploaded"],
    ]);

    const again = await run(["backup", "run-due"], schedule);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("Nothing due");
  });
});
