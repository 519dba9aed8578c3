import { spawn } from "node:child_process";
import { cp, readdir, readFile, rm, stat, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT_CODES } from "./errors.js";
import {
  atende,
  docker,
  e2eHome,
  leftovers,
  logIn,
  nodeInContainer,
  randomTenantName,
  sqlInTenant,
} from "./test/e2e.js";

interface Backup {
  id: string;
  tenant: string;
  kind: string;
  path: string;
  tables: Record<string, number>;
  storedBytes: number;
}
interface Entry {
  id: string;
  kind: string;
  status: string;
  error: { id: string; message: string } | null;
  verifyStatus: string | null;
  verifiedAt: string | null;
}

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin/atende.js");
let home: Awaited<ReturnType<typeof e2eHome>>;
const name = randomTenantName("bk");
const copy = randomTenantName("bkcopy");
const refused = randomTenantName("bkbad");
const legacy = randomTenantName("bkold");
let url = "";
const second = { email: `second@${name}.example`, password: "" };
let backup: Backup;

const run = (args: string[]) => atende(args, home.env);
const json = <T>(text: string) => JSON.parse(text) as T;

/** Adds a user with the runtime's own command, as an operator would; returns its password. */
async function createUser(tenant: string, email: string): Promise<string> {
  const exec = await docker.getContainer(`atende-${tenant}-app`).exec({
    Cmd: ["node", "/app/main.js", "create-admin", "--email", email],
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
  });
  const stream = await exec.start({ hijack: true, stdin: false, Tty: true });
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  await new Promise((resolve) => stream.on("end", resolve));
  const line = Buffer.concat(chunks).toString("utf8").trim().split("\n").at(-1) ?? "";
  return (JSON.parse(line) as { password: string }).password;
}

const readMedia = async (tenant: string, file: string) =>
  (
    await nodeInContainer(
      `atende-${tenant}-app`,
      `try{process.stdout.write(require("fs").readFileSync(${JSON.stringify(file)},"utf8"))}catch(e){process.stdout.write(e.code)}`,
    )
  ).output;

const writeMedia = (tenant: string, file: string, content: string) =>
  nodeInContainer(
    `atende-${tenant}-app`,
    `const fs=require("fs");fs.mkdirSync(require("path").dirname(${JSON.stringify(file)}),{recursive:true});fs.writeFileSync(${JSON.stringify(file)},${JSON.stringify(content)})`,
  );

async function appEnv(tenant: string): Promise<Record<string, string>> {
  const info = await docker.getContainer(`atende-${tenant}-app`).inspect();
  return Object.fromEntries(
    (info.Config.Env ?? []).map((line) => [
      line.slice(0, line.indexOf("=")),
      line.slice(line.indexOf("=") + 1),
    ]),
  );
}

const tenantNames = async () =>
  json<Array<{ name: string; status: string }>>((await run(["tenant", "list", "--json"])).stdout);

beforeAll(async () => {
  home = await e2eHome();
});

afterAll(async () => {
  for (const tenant of [name, copy, refused, legacy])
    await run(["tenant", "destroy", tenant, "--yes"]);
  await home.dispose();
});

describe("backup and restore, end to end on a real Docker engine", () => {
  it("backs up a tenant with a second user and a media file while it keeps serving", async () => {
    const created = await run([
      "tenant",
      "create",
      name,
      "--admin-email",
      `a@${name}.example`,
      "--json",
    ]);
    expect(created.code).toBe(0);
    url = json<{ url: string }>(created.stdout).url;
    second.password = await createUser(name, second.email);
    expect((await logIn(url, second.email, second.password)).status).toBe(201);
    await writeMedia(name, "/app/media/2026/11/photo.jpg", "a photo from a customer");

    const result = await run(["tenant", "backup", name, "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    backup = json<Backup & { ok: boolean }>(result.stdout);
    expect(backup).toMatchObject({ ok: true, tenant: name, kind: "manual" });
    expect(backup.tables.users).toBe(2);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    const files = (await readdir(backup.path)).sort();
    expect(files).toEqual([
      "config.json.br.enc",
      "db.mbstream.zst.enc",
      "manifest.json",
      "media.tar.br.enc",
    ]);
    const dump = await readFile(path.join(backup.path, "db.mbstream.zst.enc"));
    expect(dump.includes(Buffer.from(second.email))).toBe(false);
    const manifest = json<{
      format: number;
      database: { method: string; tables: Record<string, number> };
      parts: { db: { sha256: string } };
    }>(await readFile(path.join(backup.path, "manifest.json"), "utf8"));
    expect(manifest.parts.db.sha256).toMatch(/^[0-9a-f]{64}$/);
    // A physical hot backup, with the row counts of its own instant.
    expect(manifest).toMatchObject({ format: 2, database: { method: "mariadb-backup" } });
    expect(manifest.database.tables).toEqual(backup.tables);

    const list = json<Entry[]>((await run(["tenant", "backups", name, "--json"])).stdout);
    expect(list.map((entry) => [entry.id, entry.status])).toEqual([[backup.id, "succeeded"]]);
  });

  it("refuses a corrupted backup (one flipped byte) with a clear message, touching nothing", async () => {
    const damaged = path.join(home.env.ATENDE_HOME as string, "damaged");
    await cp(backup.path, damaged, { recursive: true });
    const file = path.join(damaged, "db.mbstream.zst.enc");
    const bytes = await readFile(file);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] as number) ^ 0x01;
    await writeFile(file, bytes);

    const inPlace = await run(["tenant", "restore", name, "--from", damaged, "--yes"]);
    expect(inPlace.code).toBe(EXIT_CODES.invalidInput);
    expect(inPlace.stderr).toContain("db part db.mbstream.zst.enc fails its sha256 checksum");
    expect(inPlace.stderr).toContain("Nothing was changed");
    const asCopy = await run(["tenant", "restore", name, "--from", damaged, "--as", refused]);
    expect(asCopy.code).toBe(EXIT_CODES.invalidInput);
    expect(await leftovers(refused)).toEqual([]);
    // The tenant still serves its data, and no safety backup was needed.
    expect((await logIn(url, second.email, second.password)).status).toBe(201);
    expect((await tenantNames()).map((tenant) => tenant.name)).toEqual([name]);
    expect(json<Entry[]>((await run(["tenant", "backups", name, "--json"])).stdout)).toHaveLength(
      1,
    );
    await rm(damaged, { recursive: true });
  });

  it("refuses a truncated backup with a clear message, touching nothing", async () => {
    const cut = path.join(home.env.ATENDE_HOME as string, "truncated");
    await cp(backup.path, cut, { recursive: true });
    const file = path.join(cut, "media.tar.br.enc");
    const size = (await readFile(file)).length;
    await truncate(file, size - 16);
    const result = await run(["tenant", "restore", name, "--from", cut, "--as", refused]);
    expect(result.code).toBe(EXIT_CODES.invalidInput);
    expect(result.stderr).toContain(`has ${size - 16} bytes, the manifest says ${size} (truncated`);
    expect(await leftovers(refused)).toEqual([]);

    await rm(path.join(cut, "manifest.json"));
    const unfinished = await run(["tenant", "restore", name, "--from", cut, "--as", refused]);
    expect(unfinished.code).toBe(EXIT_CODES.invalidInput);
    expect(unfinished.stderr).toContain("no manifest.json");
    await rm(cut, { recursive: true });
  });

  it("backup → destroy → restore gives back the same data and media", async () => {
    const destroyed = await run(["tenant", "destroy", name, "--yes"]);
    expect(destroyed.code).toBe(0);
    expect(await leftovers(name)).toEqual([]);

    const result = await run(["tenant", "restore", name, "--from", backup.id, "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const restored = json<{ tenant: string; url: string; createdTenant: boolean }>(result.stdout);
    expect(restored).toMatchObject({ tenant: name, createdTenant: true });
    url = restored.url;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect((await logIn(url, second.email, second.password)).status).toBe(201);
    expect(await readMedia(name, "/app/media/2026/11/photo.jpg")).toBe("a photo from a customer");
  });

  it("restore --as makes an independent copy with its own secrets", async () => {
    const result = await run([
      "tenant",
      "restore",
      name,
      "--from",
      backup.id,
      "--as",
      copy,
      "--json",
    ]);
    expect(result.code).toBe(0);
    const restored = json<{ tenant: string; url: string }>(result.stdout);
    expect(restored.tenant).toBe(copy);
    expect(restored.url).not.toBe(url);
    expect((await logIn(restored.url, second.email, second.password)).status).toBe(201);
    expect(await readMedia(copy, "/app/media/2026/11/photo.jpg")).toBe("a photo from a customer");

    const [original, cloned] = [await appEnv(name), await appEnv(copy)];
    expect(cloned.DATABASE_PASSWORD).not.toBe(original.DATABASE_PASSWORD);
    expect(cloned.SESSION_SECRET).not.toBe(original.SESSION_SECRET);
    expect(cloned.ENCRYPTION_KEY).toBe(original.ENCRYPTION_KEY);

    // Changes to the copy stay in the copy.
    const third = `third@${copy}.example`;
    const password = await createUser(copy, third);
    await writeMedia(copy, "/app/media/only-in-copy.txt", "copy");
    expect((await logIn(restored.url, third, password)).status).toBe(201);
    expect((await logIn(url, third, password)).status).toBe(401);
    expect(await readMedia(name, "/app/media/only-in-copy.txt")).toBe("ENOENT");
  });

  it("restores in place after taking a safety backup of what it replaces", async () => {
    const later = `later@${name}.example`;
    const password = await createUser(name, later);
    await writeMedia(name, "/app/media/later.txt", "later");
    const result = await run(["tenant", "restore", name, "--from", backup.id, "--yes", "--json"]);
    expect(result.code).toBe(0);
    const restored = json<{ safetyBackupId: string }>(result.stdout);
    expect((await logIn(url, later, password)).status).toBe(401);
    expect((await logIn(url, second.email, second.password)).status).toBe(201);
    expect(await readMedia(name, "/app/media/later.txt")).toBe("ENOENT");

    const entries = json<Entry[]>((await run(["tenant", "backups", name, "--json"])).stdout);
    expect(entries.find((entry) => entry.id === restored.safetyBackupId)).toMatchObject({
      kind: "safety",
      status: "succeeded",
    });
  });

  it("verify-backup restores into a throw-away tenant, records the result and leaves nothing", async () => {
    const result = await run(["tenant", "verify-backup", name, "--backup", backup.id, "--json"]);
    expect(result.code).toBe(0);
    expect(json<{ passed: boolean }>(result.stdout).passed).toBe(true);
    const entries = json<Entry[]>((await run(["tenant", "backups", name, "--json"])).stdout);
    expect(entries.find((entry) => entry.id === backup.id)).toMatchObject({
      verifyStatus: "passed",
    });
    expect((await tenantNames()).map((tenant) => tenant.name).sort()).toEqual([copy, name].sort());
    const scratch = await docker.listContainers({
      all: true,
      filters: { label: ["atende.managed=true"] },
    });
    expect(scratch.filter((container) => container.Names[0]?.includes("verify-"))).toEqual([]);
  });

  it("a failed backup is loud: non-zero exit, recorded as failed, nothing half-written kept", async () => {
    await docker.getContainer(`atende-${copy}-app`).remove({ force: true });
    const result = await run(["tenant", "backup", copy]);
    expect(result.code).toBe(EXIT_CODES.unhealthy);
    expect(result.stderr).toContain(`The backup of "${copy}" failed`);
    const entries = json<Entry[]>((await run(["tenant", "backups", copy, "--json"])).stdout);
    expect(entries[0]).toMatchObject({ status: "failed" });
    expect(entries[0]?.error?.message).toBeTruthy();
    const directory = path.join(home.env.ATENDE_HOME as string, "backups", copy);
    expect(await readdir(directory)).toEqual([]);
  });

  it("a backup killed half-way is recorded as interrupted, and the next run converges", async () => {
    // ~130 MB of rows, so the dump takes long enough to be killed in the middle.
    const sql = (query: string) => sqlInTenant(name, query);
    await sql(
      "CREATE TABLE filler (id INT AUTO_INCREMENT PRIMARY KEY, body TEXT); INSERT INTO filler (body) VALUES (REPEAT(SHA2(RAND(), 256), 16))",
    );
    for (let i = 0; i < 17; i++)
      await sql("INSERT INTO filler (body) SELECT REPEAT(SHA2(RAND(), 256), 16) FROM filler");

    const directory = path.join(home.env.ATENDE_HOME as string, "backups", name);
    const before = new Set(await readdir(directory));
    const child = spawn(process.execPath, [bin, "tenant", "backup", name], {
      env: { ...process.env, CI: "true", ...home.env },
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    let killed: string | undefined;
    for (let i = 0; i < 400 && killed === undefined; i++) {
      for (const entry of await readdir(directory)) {
        if (before.has(entry)) continue;
        const size = await stat(path.join(directory, entry, "db.mbstream.zst.enc")).then(
          (info) => info.size,
          () => 0,
        );
        if (size > 0) killed = entry;
      }
      if (killed === undefined) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(killed).toBeDefined();
    child.kill("SIGKILL");
    await exited;

    const again = await run(["tenant", "backup", name, "--json"]);
    expect(again.code).toBe(0);
    const entries = json<Entry[]>((await run(["tenant", "backups", name, "--json"])).stdout);
    expect(entries.find((entry) => entry.id === killed)).toMatchObject({
      status: "failed",
      error: { id: "interrupted" },
    });
    expect(entries[0]).toMatchObject({ id: json<Backup>(again.stdout).id, status: "succeeded" });
    expect(await readdir(directory)).not.toContain(killed);
    expect(json<Backup>(again.stdout).tables.filler).toBe(2 ** 17);
  });

  it("a db image without mariadb-backup still gets a backup: a logical dump that restores", async () => {
    // As in a db container created before the images had mariadb-backup.
    const hide = await docker.getContainer(`atende-${name}-db`).exec({
      Cmd: ["mv", "/usr/bin/mariadb-backup", "/usr/bin/mariadb-backup.hidden"],
      User: "root",
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await hide.start({ hijack: true, stdin: false });
    stream.resume();
    await new Promise((resolve) => stream.on("end", resolve));

    const result = await run(["tenant", "backup", name, "--json"]);
    expect(result.code).toBe(0);
    const old = json<Backup>(result.stdout);
    expect((await readdir(old.path)).sort()).toEqual([
      "config.json.br.enc",
      "db.sql.br.enc",
      "manifest.json",
      "media.tar.br.enc",
    ]);
    expect(
      json<{ format: number }>(await readFile(path.join(old.path, "manifest.json"), "utf8")),
    ).toMatchObject({ format: 1 });

    const restored = await run(["tenant", "restore", name, "--from", old.id, "--as", legacy]);
    expect(restored.code).toBe(0);
    expect((await run(["tenant", "destroy", legacy, "--yes"])).code).toBe(0);
    expect(await leftovers(legacy)).toEqual([]);
  });

  it("destroys everything and leaves no labelled container, network or volume", async () => {
    for (const tenant of [name, copy]) {
      expect((await run(["tenant", "destroy", tenant, "--yes"])).code).toBe(0);
      expect(await leftovers(tenant)).toEqual([]);
    }
    expect(await leftovers(refused)).toEqual([]);
    expect(await tenantNames()).toEqual([]);
  });
});
