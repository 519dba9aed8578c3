import type { ControlPlane } from "../controlPlane.js";
import { tenantNotFound } from "../errors.js";
import { OperationJournal, type ProgressListener } from "../operations/operationJournal.js";
import { acquireTenantLock } from "../operations/tenantLock.js";
import { assertDockerReachable } from "../orchestration/dockerClient.js";
import { findTenantObjects, removeTenantObjects } from "../orchestration/tenantResources.js";
import { validateTenantName } from "./preflight.js";

export const DESTROY_STEPS = [
  { id: "remove", title: "Remove containers and networks" },
  { id: "volumes", title: "Remove volumes" },
  { id: "forget", title: "Update the registry" },
] as const;

export interface DestroyTenantProps {
  name: string;
  /** Keep the volumes (database, Redis, media) and the record, so the tenant can be revived by `create`. */
  keepData?: boolean;
  onProgress?: ProgressListener;
}

/** What was removed, for the CLI's summary. */
export interface DestroyedTenant {
  name: string;
  removed: { containers: number; networks: number; volumes: number };
  keptVolumes: string[];
}

/**
 * Removes a tenant. Everything labelled with the tenant goes, even objects the registry does
 * not know about (an orphan of a crashed create), so `destroy` also cleans up after drift.
 */
export async function destroyTenant(
  cp: ControlPlane,
  props: DestroyTenantProps,
): Promise<DestroyedTenant> {
  validateTenantName(props.name);
  await assertDockerReachable(cp.docker);
  const record = await cp.tenants.find(props.name);
  const before = await findTenantObjects(cp.docker, props.name);
  if (!record && before.containers.length + before.networks.length + before.volumes.length === 0) {
    throw tenantNotFound(props.name);
  }
  const journal = await OperationJournal.begin(
    cp.store.db,
    props.name,
    "destroy",
    props.onProgress,
  );
  const lock = await acquireTenantLock(cp.store.db, props.name, journal.id, "destroy").catch(
    async (error: unknown) => {
      await journal.finish(error);
      throw error;
    },
  );
  try {
    if (record) await cp.tenants.setStatus(props.name, "destroying", journal.id);
    await journal.step(DESTROY_STEPS[0], () =>
      removeTenantObjects(cp.docker, props.name, { keepVolumes: true }),
    );
    await journal.step(DESTROY_STEPS[1], async () => {
      if (props.keepData) return { skipped: "--keep-data" };
      await removeTenantObjects(cp.docker, props.name, { keepVolumes: false });
      return undefined;
    });
    await journal.step(DESTROY_STEPS[2], async () => {
      if (!record) return { skipped: "not in the registry" };
      if (props.keepData) await cp.tenants.setStatus(props.name, "archived", journal.id);
      else await cp.tenants.delete(props.name);
      return undefined;
    });
    await journal.finish();
    return {
      name: props.name,
      removed: {
        containers: before.containers.length,
        networks: before.networks.length,
        volumes: props.keepData ? 0 : before.volumes.length,
      },
      keptVolumes: props.keepData ? before.volumes.map((volume) => volume.Name) : [],
    };
  } catch (error) {
    await journal.finish(error).catch(() => undefined);
    throw error;
  } finally {
    await lock.release().catch(() => undefined);
  }
}
