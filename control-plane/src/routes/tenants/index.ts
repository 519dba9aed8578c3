import { Router } from "express";
import { validationError } from "../../apiErrors.js";
import { backupAlertsOf } from "../../backups/backupAlerts.js";
import { scheduleOf } from "../../backups/backupSchedule.js";
import { BACKUP_STEPS, backupTenant, listBackups } from "../../commands/backupCreator.js";
import { RESTORE_STEPS, restoreTenant } from "../../commands/backupRestorer.js";
import { VERIFY_BACKUP_STEPS, verifyBackup } from "../../commands/backupVerifier.js";
import { listOperations } from "../../commands/operationInspector.js";
import { DESTROY_STEPS, destroyTenant } from "../../commands/tenantDestroyer.js";
import { listTenants, showTenant } from "../../commands/tenantInspector.js";
import { startTenant, stopTenant } from "../../commands/tenantPower.js";
import { PROVISION_STEPS, provisionTenant } from "../../commands/tenantProvisioner.js";
import { tenantStats } from "../../commands/tenantStats.js";
import { UPGRADE_STEPS, upgradeTenant } from "../../commands/tenantUpgrader.js";
import type { BackupPayload, TenantDetailPayload } from "../../contracts/api.js";
import { tenantNotFound } from "../../errors.js";
import { requireRole } from "../../middlewares/authenticate.js";
import { inputOf, validate } from "../../middlewares/validate.js";
import { presentBackup } from "../../presenters/presentBackup.js";
import { presentOperation } from "../../presenters/presentOperation.js";
import { presentTenant } from "../../presenters/presentTenant.js";
import { audit, type ServerContext, staffOf } from "../../server/context.js";
import { tenantConfigRouter } from "./config.js";
import {
  BackupParamsSchema,
  TenantCreateSchema,
  TenantDestroySchema,
  TenantParamsSchema,
  TenantRestoreSchema,
  TenantUpgradeSchema,
} from "./schema.js";

/**
 * Tenants: read and list backups (viewer); create, start, stop, back up, verify a backup and
 * upgrade with a typed confirmation (operator); restore and destroy (owner).
 */
export function tenantsRouter(ctx: ServerContext): Router {
  const router = Router();
  const nameOf = (params: Record<string, string>) => params.name ?? "";

  router.get("/api/tenants", requireRole(ctx, "viewer"), async (_req, res) => {
    const tenants = await listTenants(ctx.cp);
    const backups = await Promise.all(tenants.map((tenant) => lastBackupOf(ctx, tenant.name)));
    res.json({
      ok: true,
      data: tenants.map((tenant, index) =>
        presentTenant(tenant, backups[index]?.[0], backups[index]?.[1]),
      ),
    });
  });

  router.get(
    "/api/tenants/:name",
    requireRole(ctx, "viewer"),
    validate(TenantParamsSchema),
    async (_req, res) => {
      const { params } = inputOf(res, TenantParamsSchema);
      const [tenant, operations, lastBackup] = await Promise.all([
        showTenant(ctx.cp, params.name),
        listOperations(ctx.cp, { tenant: params.name, limit: 20 }),
        lastBackupOf(ctx, params.name),
      ]);
      const data: TenantDetailPayload = {
        ...presentTenant(tenant, ...lastBackup),
        operations: operations.map(presentOperation),
      };
      res.json({ ok: true, data });
    },
  );

  router.use(tenantConfigRouter(ctx));

  router.get(
    "/api/tenants/:name/stats",
    requireRole(ctx, "viewer"),
    validate(TenantParamsSchema),
    async (_req, res) => {
      const { params } = inputOf(res, TenantParamsSchema);
      res.json({ ok: true, data: await tenantStats(ctx.cp, params.name) });
    },
  );

  router.post(
    "/api/tenants",
    requireRole(ctx, "operator", { name: "tenants.create" }),
    validate(TenantCreateSchema),
    async (req, res) => {
      const { body } = inputOf(res, TenantCreateSchema);
      const staff = staffOf(res);
      const started = await startAudited(ctx, { req, res }, "create", body.name, () =>
        ctx.operations.start({
          tenant: body.name,
          kind: "create",
          staffId: staff?.id ?? 0,
          run: (onProgress) =>
            provisionTenant(ctx.cp, {
              name: body.name,
              adminEmail: body.adminEmail,
              ...(body.template === undefined ? {} : { template: body.template }),
              onProgress,
            }),
          onSucceeded: (created, operationId) =>
            ctx.operations.events?.tenantCreated(staff?.id ?? 0, {
              operationId,
              tenant: created.name,
              url: created.url,
              adminEmail: created.adminEmail,
              oneTimePassword: created.oneTimePassword,
            }),
          onFinished: (finished) =>
            audit(ctx, req, res, {
              action: "tenants.create",
              target: body.name,
              outcome: finished.status,
              detail: finished.error?.id ?? finished.operationId,
            }),
        }),
      );
      res.status(202).json({ ok: true, data: { ...started, steps: [...PROVISION_STEPS] } });
    },
  );

  for (const action of ["stop", "start"] as const) {
    router.post(
      `/api/tenants/:name/${action}`,
      requireRole(ctx, "operator", { name: `tenants.${action}`, target: nameOf }),
      validate(TenantParamsSchema),
      async (req, res) => {
        const { params } = inputOf(res, TenantParamsSchema);
        const started = await startAudited(ctx, { req, res }, action, params.name, () =>
          ctx.operations.start({
            tenant: params.name,
            kind: action,
            staffId: staffOf(res)?.id ?? 0,
            run: (onProgress) =>
              (action === "stop" ? stopTenant : startTenant)(ctx.cp, {
                name: params.name,
                onProgress,
              }),
            onFinished: (finished) =>
              audit(ctx, req, res, {
                action: `tenants.${action}`,
                target: params.name,
                outcome: finished.status,
                detail: finished.error?.id ?? finished.operationId,
              }),
          }),
        );
        res.status(202).json({ ok: true, data: started });
      },
    );
  }

  router.delete(
    "/api/tenants/:name",
    requireRole(ctx, "owner", { name: "tenants.destroy", target: nameOf }),
    validate(TenantDestroySchema),
    async (req, res) => {
      const { params, body } = inputOf(res, TenantDestroySchema);
      if (body.confirm !== params.name) {
        await audit(ctx, req, res, {
          action: "tenants.destroy",
          target: params.name,
          outcome: "refused",
          detail: "confirmation did not match",
        });
        throw validationError(
          `Invalid confirm: type the tenant's name ("${params.name}") to destroy it.`,
        );
      }
      const started = await startAudited(ctx, { req, res }, "destroy", params.name, () =>
        ctx.operations.start({
          tenant: params.name,
          kind: "destroy",
          staffId: staffOf(res)?.id ?? 0,
          run: (onProgress) =>
            destroyTenant(ctx.cp, {
              name: params.name,
              ...(body.keepData === undefined ? {} : { keepData: body.keepData }),
              onProgress,
            }),
          onFinished: (finished) =>
            audit(ctx, req, res, {
              action: "tenants.destroy",
              target: params.name,
              outcome: finished.status,
              detail: finished.error?.id ?? finished.operationId,
            }),
        }),
      );
      res.status(202).json({ ok: true, data: { ...started, steps: [...DESTROY_STEPS] } });
    },
  );
  router.get(
    "/api/tenants/:name/backups",
    requireRole(ctx, "viewer"),
    validate(TenantParamsSchema),
    async (_req, res) => {
      const { params } = inputOf(res, TenantParamsSchema);
      if (!(await ctx.cp.tenants.find(params.name))) throw tenantNotFound(params.name);
      const data: BackupPayload[] = (await listBackups(ctx.cp, { name: params.name })).map(
        presentBackup,
      );
      res.json({ ok: true, data });
    },
  );

  router.post(
    "/api/tenants/:name/backups",
    requireRole(ctx, "operator", { name: "tenants.backup", target: nameOf }),
    validate(TenantParamsSchema),
    async (req, res) => {
      const { params } = inputOf(res, TenantParamsSchema);
      const started = await startAudited(ctx, { req, res }, "backup", params.name, () =>
        ctx.operations.start({
          tenant: params.name,
          kind: "backup",
          staffId: staffOf(res)?.id ?? 0,
          run: (onProgress) => backupTenant(ctx.cp, { name: params.name, onProgress }),
          onFinished: auditFinished(ctx, req, res, "backup", params.name),
        }),
      );
      res.status(202).json({ ok: true, data: { ...started, steps: [...BACKUP_STEPS] } });
    },
  );

  router.post(
    "/api/tenants/:name/backups/:id/verify",
    requireRole(ctx, "operator", { name: "tenants.verify-backup", target: nameOf }),
    validate(BackupParamsSchema),
    async (req, res) => {
      const { params } = inputOf(res, BackupParamsSchema);
      const started = await startAudited(ctx, { req, res }, "verify-backup", params.name, () =>
        ctx.operations.start({
          tenant: params.name,
          kind: "verify-backup",
          staffId: staffOf(res)?.id ?? 0,
          run: (onProgress) =>
            verifyBackup(ctx.cp, { name: params.name, backup: params.id, onProgress }),
          onFinished: auditFinished(ctx, req, res, "verify-backup", params.name),
        }),
      );
      res.status(202).json({ ok: true, data: { ...started, steps: [...VERIFY_BACKUP_STEPS] } });
    },
  );

  router.post(
    "/api/tenants/:name/restore",
    requireRole(ctx, "owner", { name: "tenants.restore", target: nameOf }),
    validate(TenantRestoreSchema),
    async (req, res) => {
      const { params, body } = inputOf(res, TenantRestoreSchema);
      if (body.as === undefined && body.confirm !== params.name) {
        await refuseUnconfirmed(ctx, req, res, "restore", params.name);
        throw validationError(
          `Invalid confirm: type the tenant's name ("${params.name}") to replace its data with the backup.`,
        );
      }
      const target = body.as ?? params.name;
      const started = await startAudited(ctx, { req, res }, "restore", target, () =>
        ctx.operations.start({
          tenant: target,
          kind: "restore",
          staffId: staffOf(res)?.id ?? 0,
          run: (onProgress) =>
            restoreTenant(ctx.cp, {
              name: params.name,
              from: body.from,
              ...(body.as === undefined ? {} : { as: body.as }),
              onProgress,
            }),
          onFinished: auditFinished(ctx, req, res, "restore", target),
        }),
      );
      res.status(202).json({ ok: true, data: { ...started, steps: [...RESTORE_STEPS] } });
    },
  );

  router.post(
    "/api/tenants/:name/upgrade",
    requireRole(ctx, "operator", { name: "tenants.upgrade", target: nameOf }),
    validate(TenantUpgradeSchema),
    async (req, res) => {
      const { params, body } = inputOf(res, TenantUpgradeSchema);
      if (body.confirm !== params.name) {
        await refuseUnconfirmed(ctx, req, res, "upgrade", params.name);
        throw validationError(
          `Invalid confirm: type the tenant's name ("${params.name}") to upgrade it.`,
        );
      }
      const started = await startAudited(ctx, { req, res }, "upgrade", params.name, () =>
        ctx.operations.start({
          tenant: params.name,
          kind: "upgrade",
          staffId: staffOf(res)?.id ?? 0,
          run: (onProgress) =>
            upgradeTenant(ctx.cp, { name: params.name, to: body.to, onProgress }),
          onFinished: auditFinished(ctx, req, res, "upgrade", params.name),
        }),
      );
      res.status(202).json({ ok: true, data: { ...started, steps: [...UPGRADE_STEPS] } });
    },
  );

  return router;
}

type AuditSource = [Parameters<typeof audit>[1], Parameters<typeof audit>[2]];

/** The audit row written when a background operation ends. */
function auditFinished(
  ctx: ServerContext,
  req: AuditSource[0],
  res: AuditSource[1],
  kind: string,
  tenant: string,
) {
  return (finished: { status: string; operationId: string; error?: { id: string } }) =>
    audit(ctx, req, res, {
      action: `tenants.${kind}`,
      target: tenant,
      outcome: finished.status,
      detail: finished.error?.id ?? finished.operationId,
    });
}

/** Audits a destructive request whose typed confirmation did not match. */
function refuseUnconfirmed(
  ctx: ServerContext,
  req: AuditSource[0],
  res: AuditSource[1],
  kind: string,
  tenant: string,
) {
  return audit(ctx, req, res, {
    action: `tenants.${kind}`,
    target: tenant,
    outcome: "refused",
    detail: "confirmation did not match",
  });
}

/** The newest backup of a tenant (the catalogue lists newest first) and its backup alerts. */
async function lastBackupOf(ctx: ServerContext, tenant: string) {
  const [backups, record] = await Promise.all([
    listBackups(ctx.cp, { name: tenant }),
    ctx.cp.tenants.find(tenant),
  ]);
  const alerts = record
    ? backupAlertsOf({
        backups,
        tenant: record,
        scheduled: scheduleOf(ctx.cp.config) !== undefined,
        now: new Date(),
      })
    : [];
  return [backups[0], alerts] as const;
}

/**
 * Starts an operation and audits the request: `accepted` with the operation id, or `refused`
 * with the error id when the library turned it down before it began.
 */
async function startAudited<T extends { operationId: string }>(
  ctx: ServerContext,
  source: { req: Parameters<typeof audit>[1]; res: Parameters<typeof audit>[2] },
  kind: string,
  tenant: string,
  start: () => Promise<T>,
): Promise<T> {
  try {
    const started = await start();
    await audit(ctx, source.req, source.res, {
      action: `tenants.${kind}`,
      target: tenant,
      outcome: "accepted",
      detail: started.operationId,
    });
    return started;
  } catch (error) {
    await audit(ctx, source.req, source.res, {
      action: `tenants.${kind}`,
      target: tenant,
      outcome: "refused",
      detail: (error as { id?: string }).id ?? "internal_error",
    });
    throw error;
  }
}
