import { randomBytes } from "node:crypto";
import { BackupCatalog, type BackupEntry } from "../backups/backupCatalog.js";
import type { ControlPlane } from "../controlPlane.js";
import { AtendeError, backupNotFound } from "../errors.js";
import type { ProgressListener, StepDefinition } from "../operations/operationJournal.js";
import { RESTORE_STEPS, restoreTenant } from "./backupRestorer.js";
import { validateTenantName } from "./preflight.js";
import { destroyTenant } from "./tenantDestroyer.js";

/** The steps of `tenant verify-backup`: a restore into a throw-away tenant, then its removal. */
export const VERIFY_BACKUP_STEPS = [
  ...RESTORE_STEPS.filter((candidate) => candidate.id !== "safety"),
  { id: "cleanup", title: "Remove the throw-away tenant" },
] as const satisfies readonly StepDefinition[];

export interface VerifyBackupProps {
  name: string;
  /** A backup id; the newest good backup when omitted. */
  backup?: string;
  onProgress?: ProgressListener;
}

export interface VerifiedBackupResult {
  tenant: string;
  backupId: string;
  passed: boolean;
  detail: string;
  tables: Record<string, number>;
  verifiedAt: string;
  durationMs: number;
}

/**
 * Proves a backup restores: restores it into a throw-away tenant (checksums first, then the
 * import, row counts against the manifest, the app becoming ready), records the verdict in the
 * catalogue, and removes the throw-away tenant whatever happened. A failed verification throws
 * `backup_verify_failed` after recording it.
 */
export async function verifyBackup(
  cp: ControlPlane,
  props: VerifyBackupProps,
): Promise<VerifiedBackupResult> {
  validateTenantName(props.name);
  const started = Date.now();
  const catalog = new BackupCatalog(cp.store.db);
  const entry: BackupEntry | undefined = props.backup
    ? await catalog.find(props.backup)
    : (await catalog.list(props.name)).find((backup) => backup.status === "succeeded");
  if (!entry || entry.tenant !== props.name)
    throw backupNotFound(props.name, props.backup ?? "(newest good backup)");
  const scratch = `verify-${randomBytes(4).toString("hex")}`;
  let passed = false;
  let detail = "";
  let tables: Record<string, number> = {};
  let failure: unknown;
  try {
    const restored = await restoreTenant(cp, {
      name: props.name,
      from: entry.id,
      as: scratch,
      ...(props.onProgress ? { onProgress: props.onProgress } : {}),
    });
    tables = restored.tables;
    passed = true;
    const rows = Object.values(tables).reduce((sum, count) => sum + count, 0);
    detail = `restored into ${scratch}: ready, ${Object.keys(tables).length} tables and ${rows} rows match the manifest`;
  } catch (error) {
    failure = error;
    detail = error instanceof Error ? error.message : String(error);
  } finally {
    const cleanup = { id: "cleanup", title: "Remove the throw-away tenant" };
    props.onProgress?.({ operationId: "", step: cleanup, state: "started" });
    const cleanupStarted = Date.now();
    try {
      await destroyTenant(cp, { name: scratch }).catch((error: unknown) => {
        // Nothing to remove: the failed restore cleaned up after itself.
        if (!(error instanceof AtendeError && error.id === "tenant_not_found")) throw error;
      });
      props.onProgress?.({
        operationId: "",
        step: cleanup,
        state: "succeeded",
        durationMs: Date.now() - cleanupStarted,
      });
    } catch (error) {
      cp.logger.error({ err: error, tenant: scratch }, "the throw-away tenant was not removed");
      props.onProgress?.({ operationId: "", step: cleanup, state: "failed" });
    }
  }
  await catalog.recordVerification(entry.id, { passed, detail });
  if (!passed) {
    throw new AtendeError(
      "backup_verify_failed",
      `Backup ${entry.id} of "${props.name}" did not pass verification: ${detail}`,
      {
        hint: "Take a new backup now and verify it; do not rely on this one.",
        data: { backupId: entry.id },
        cause: failure,
      },
    );
  }
  return {
    tenant: props.name,
    backupId: entry.id,
    passed,
    detail,
    tables,
    verifiedAt: new Date().toISOString(),
    durationMs: Date.now() - started,
  };
}
