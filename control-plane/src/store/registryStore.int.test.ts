import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import knexFactory from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireTenantLock } from "../operations/tenantLock.js";
import { openRegistryStore, type RegistryStore } from "./registryStore.js";
import { TenantRepository } from "./tenantRepository.js";

// The shared-control-plane option: the same registry code on the real MariaDB.
const database = `atende_registry_test_${randomBytes(4).toString("hex")}`;
const admin = knexFactory({
  client: "mysql2",
  connection: { host: "127.0.0.1", port: 3306, user: "root", password: "" },
});
let store: RegistryStore;

beforeAll(async () => {
  await admin.raw(`CREATE DATABASE \`${database}\``);
  store = await openRegistryStore({
    ATENDE_HOME: "/nonexistent",
    ATENDE_STORE_URL: `mysql://root:@127.0.0.1:3306/${database}`,
  });
});
afterAll(async () => {
  await store?.close();
  await admin.raw(`DROP DATABASE IF EXISTS \`${database}\``);
  await admin.destroy();
});

const record = (name: string, hostPort: number) => ({
  name,
  status: "creating" as const,
  templateId: "default",
  templateVersion: 1,
  appVersion: "0.1.0",
  images: { runtime: "atende/runtime:0.1.0" },
  publishHost: "127.0.0.1",
  hostPort,
  url: `http://127.0.0.1:${hostPort}`,
  adminEmail: "ana@acme.com.br",
  sealedSecrets: "v1:sealed",
  lastOperationId: "op-1",
});

describe("the registry kept in MySQL/MariaDB (ATENDE_STORE_URL)", () => {
  it("migrates, stores tenants and refuses a duplicate name or port", async () => {
    expect(store.kind).toBe("mysql");
    expect(store.location).not.toContain("root:");
    const tenants = new TenantRepository(store.db);
    await tenants.insert(record("acme", 8100));
    await expect(tenants.insert(record("acme", 8101))).rejects.toThrow();
    await expect(tenants.insert(record("globex", 8100))).rejects.toThrow();
    await tenants.setStatus("acme", "ready", "op-2");
    expect(await tenants.find("acme")).toMatchObject({
      status: "ready",
      hostPort: 8100,
      images: { runtime: "atende/runtime:0.1.0" },
    });
    expect([...(await tenants.usedPorts())]).toEqual([8100]);
  });

  it("serialises operations on a tenant across processes with the same lock table", async () => {
    const lock = await acquireTenantLock(store.db, "acme", "op-a", "create");
    await expect(acquireTenantLock(store.db, "acme", "op-b", "destroy")).rejects.toMatchObject({
      id: "tenant_busy",
    });
    await lock.release();
    await (await acquireTenantLock(store.db, "acme", "op-c", "destroy")).release();
  });

  it("opening it twice runs the migrations once", async () => {
    const again = await openRegistryStore({
      ATENDE_HOME: "/nonexistent",
      ATENDE_STORE_URL: `mysql://root:@127.0.0.1:3306/${database}`,
    });
    const [rows] = (await again.db.raw("SELECT COUNT(*) AS n FROM registry_migrations")) as [
      Array<{ n: number }>,
    ];
    expect(Number(rows[0]?.n)).toBeGreaterThanOrEqual(1);
    await again.close();
  });
});

describe("the embedded SQLite registry", () => {
  it("refuses to open a damaged file instead of making it worse", async () => {
    const home = await mkdtemp(path.join(tmpdir(), "atende-corrupt-"));
    try {
      await writeFile(
        path.join(home, "registry.sqlite"),
        `SQLite format 3\0${"garbage".repeat(500)}`,
      );
      await expect(
        openRegistryStore({ ATENDE_HOME: home, ATENDE_STORE_URL: undefined }),
      ).rejects.toMatchObject({
        id: "store_corrupt",
      });
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
