import { hostname } from "node:os";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestControlPlane } from "../test/support.js";
import { OperationJournal } from "./operationJournal.js";
import { acquireTenantLock } from "./tenantLock.js";

let cp: Awaited<ReturnType<typeof openTestControlPlane>>;
beforeEach(async () => {
  cp = await openTestControlPlane();
});
afterEach(async () => {
  await cp.dispose();
});

describe("acquireTenantLock", () => {
  it("lets one operation hold a tenant and tells the second who holds it", async () => {
    const lock = await acquireTenantLock(cp.store.db, "acme", "op-1", "create");
    await expect(acquireTenantLock(cp.store.db, "acme", "op-2", "destroy")).rejects.toMatchObject({
      id: "tenant_busy",
      message: expect.stringContaining("create"),
    });
    // Other tenants are not blocked.
    const other = await acquireTenantLock(cp.store.db, "globex", "op-3", "create");
    await other.release();
    await lock.release();
    const again = await acquireTenantLock(cp.store.db, "acme", "op-4", "destroy");
    await again.release();
  });

  it("takes over a lock whose holder on this host has died", async () => {
    await cp.store.db("tenant_locks").insert({
      tenant: "acme",
      operation_id: "crashed",
      operation_kind: "create",
      host: hostname(),
      pid: 2 ** 22 + 12345, // above pid_max: no such process
      acquired_at: Date.now(),
      expires_at: Date.now() + 60_000,
    });
    const lock = await acquireTenantLock(cp.store.db, "acme", "op-1", "create");
    await lock.release();
  });

  it("keeps a live lock held by another host until it expires", async () => {
    const row = {
      tenant: "acme",
      operation_id: "remote",
      operation_kind: "create",
      host: "other-host",
      pid: 1,
      acquired_at: Date.now(),
    };
    await cp.store.db("tenant_locks").insert({ ...row, expires_at: Date.now() + 60_000 });
    await expect(acquireTenantLock(cp.store.db, "acme", "op-1", "create")).rejects.toMatchObject({
      id: "tenant_busy",
    });
    await cp.store.db("tenant_locks").update({ expires_at: Date.now() - 1 });
    const lock = await acquireTenantLock(cp.store.db, "acme", "op-1", "create");
    await lock.release();
  });
});

describe("OperationJournal", () => {
  it("records each step with its outcome and the operation's error", async () => {
    const events: string[] = [];
    const journal = await OperationJournal.begin(cp.store.db, "acme", "create", (event) =>
      events.push(`${event.step.id}:${event.state}`),
    );
    await journal.step({ id: "one", title: "One" }, async () => undefined);
    await journal.step({ id: "two", title: "Two" }, async () => ({ skipped: "already there" }));
    await expect(
      journal.step({ id: "three", title: "Three" }, async () => Promise.reject(new Error("boom"))),
    ).rejects.toThrow("boom");
    await journal.finish(new Error("boom"));

    expect(events).toEqual([
      "one:started",
      "one:succeeded",
      "two:started",
      "two:skipped",
      "three:started",
      "three:failed",
    ]);
    const row = await cp.store.db("operations").where({ id: journal.id }).first();
    expect(row).toMatchObject({
      tenant: "acme",
      kind: "create",
      status: "failed",
      error_message: "boom",
    });
    expect(
      JSON.parse(row.steps).map(
        (step: { id: string; state: string }) => `${step.id}:${step.state}`,
      ),
    ).toEqual(["one:succeeded", "two:skipped", "three:failed"]);
  });
});
