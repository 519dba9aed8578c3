import type { ControlPlane } from "../controlPlane.js";
import { tenantNotFound, tenantNotReady } from "../errors.js";
import { OperationJournal, type ProgressListener } from "../operations/operationJournal.js";
import { acquireTenantLock } from "../operations/tenantLock.js";
import { assertDockerReachable, inspectContainer } from "../orchestration/dockerClient.js";
import { names } from "../orchestration/labels.js";
import { readyUrlOf, waitForReady } from "../orchestration/waitForReady.js";
import { loadTemplate } from "../templates/loadTemplate.js";
import { startOrder } from "../templates/startOrder.js";
import { validateTenantName } from "./preflight.js";

export interface TenantPowerProps {
  name: string;
  onProgress?: ProgressListener;
}

/** Stops a tenant's containers, app first so no request meets a missing database. */
export async function stopTenant(cp: ControlPlane, props: TenantPowerProps): Promise<void> {
  await switchTenant(cp, props, "stop");
}

/** Starts a stopped tenant and waits until its inbox is ready again. */
export async function startTenant(cp: ControlPlane, props: TenantPowerProps): Promise<void> {
  await switchTenant(cp, props, "start");
}

async function switchTenant(
  cp: ControlPlane,
  props: TenantPowerProps,
  kind: "start" | "stop",
): Promise<void> {
  validateTenantName(props.name);
  const record = await cp.tenants.find(props.name);
  if (!record) throw tenantNotFound(props.name);
  if (record.status !== "ready" && record.status !== "stopped")
    throw tenantNotReady(props.name, record.status, kind);
  await assertDockerReachable(cp.docker);
  const { template } = await loadTemplate(record.templateId, cp.config);
  const order = startOrder(template);
  const containers = order.map((role) => ({ role, name: names.container(props.name, role) }));

  const journal = await OperationJournal.begin(cp.store.db, props.name, kind, props.onProgress);
  const lock = await acquireTenantLock(cp.store.db, props.name, journal.id, kind).catch(
    async (error: unknown) => {
      await journal.finish(error);
      throw error;
    },
  );
  try {
    if (kind === "stop") {
      await journal.step({ id: "stop", title: "Stop app, Redis and database" }, async () => {
        for (const container of [...containers].reverse()) {
          const info = await inspectContainer(cp.docker, container.name);
          if (info?.State.Running) await cp.docker.getContainer(container.name).stop({ t: 15 });
        }
      });
      await cp.tenants.setStatus(props.name, "stopped", journal.id);
    } else {
      await journal.step({ id: "start", title: "Start database, Redis and app" }, async () => {
        for (const container of containers) {
          const info = await inspectContainer(cp.docker, container.name);
          if (!info)
            throw tenantNotReady(props.name, `missing container ${container.name}`, "start");
          if (!info.State.Running) await cp.docker.getContainer(container.name).start();
        }
      });
      await journal.step({ id: "ready", title: "Wait until the inbox is ready" }, () =>
        waitForReady(cp.docker, {
          tenant: props.name,
          readyUrl: readyUrlOf(record),
          containers,
          timeoutMs: cp.config.ATENDE_READY_TIMEOUT_SECONDS * 1000,
        }),
      );
      await cp.tenants.setStatus(props.name, "ready", journal.id);
    }
    await journal.finish();
  } catch (error) {
    await journal.finish(error).catch(() => undefined);
    throw error;
  } finally {
    await lock.release().catch(() => undefined);
  }
}
