import type { Request, Response } from "express";
import { Router } from "express";
import {
  type ConfiguredTenant,
  configureTenant,
  getTenantConfig,
} from "../../commands/tenantConfigurator.js";
import type { TenantConfigPayload, TenantConfiguredPayload } from "../../contracts/api.js";
import { requireRole } from "../../middlewares/authenticate.js";
import { inputOf, validate } from "../../middlewares/validate.js";
import { audit, type ServerContext, staffOf } from "../../server/context.js";
import {
  TenantConfigKeyParamsSchema,
  TenantConfigSetSchema,
  TenantParamsSchema,
} from "./schema.js";

/**
 * A tenant's settings: read them masked (viewer), set or unset one (operator). The change runs
 * as a journalled operation (live steps over Socket.IO) but the request waits for its end, so
 * the answer carries the applied value or the reason a value was refused. Audit rows name the
 * key, never the value.
 */
export function tenantConfigRouter(ctx: ServerContext): Router {
  const router = Router();
  const nameOf = (params: Record<string, string>) => params.name ?? "";

  router.get(
    "/api/tenants/:name/config",
    requireRole(ctx, "viewer"),
    validate(TenantParamsSchema),
    async (_req, res) => {
      const { params } = inputOf(res, TenantParamsSchema);
      const data: TenantConfigPayload = {
        tenant: params.name,
        settings: await getTenantConfig(ctx.cp, { name: params.name }),
      };
      res.setHeader("Cache-Control", "no-store");
      res.json({ ok: true, data });
    },
  );

  router.put(
    "/api/tenants/:name/config/:key",
    requireRole(ctx, "operator", { name: "tenants.config.set", target: nameOf }),
    validate(TenantConfigSetSchema),
    async (req, res) => {
      const { params, body } = inputOf(res, TenantConfigSetSchema);
      await answerConfigured(ctx, req, res, "set", params, body.value);
    },
  );

  router.delete(
    "/api/tenants/:name/config/:key",
    requireRole(ctx, "operator", { name: "tenants.config.unset", target: nameOf }),
    validate(TenantConfigKeyParamsSchema),
    async (req, res) => {
      const { params } = inputOf(res, TenantConfigKeyParamsSchema);
      await answerConfigured(ctx, req, res, "unset", params, undefined);
    },
  );

  return router;
}

/** Runs `configureTenant` through the operation runner and answers once it has ended. */
async function answerConfigured(
  ctx: ServerContext,
  req: Request,
  res: Response,
  action: "set" | "unset",
  params: { name: string; key: string },
  value: string | undefined,
): Promise<void> {
  const record = (outcome: string, detail: string) =>
    audit(ctx, req, res, {
      action: `tenants.config.${action}`,
      target: params.name,
      outcome,
      detail,
    });
  let failure: unknown;
  let result: ConfiguredTenant | undefined;
  let finished!: () => void;
  const ended = new Promise<void>((resolve) => {
    finished = resolve;
  });
  try {
    await ctx.operations.start({
      tenant: params.name,
      kind: "configure",
      staffId: staffOf(res)?.id ?? 0,
      run: async (onProgress) => {
        try {
          result = await configureTenant(ctx.cp, {
            name: params.name,
            key: params.key,
            value,
            onProgress,
          });
          return result;
        } catch (error) {
          failure = error;
          throw error;
        }
      },
      onFinished: async (payload) => {
        try {
          await record(
            payload.status,
            `${params.key} (${payload.error?.id ?? payload.operationId})`,
          );
        } finally {
          finished();
        }
      },
    });
  } catch (error) {
    // Refused before it began (bad key or value, unknown or busy tenant): nothing was journalled.
    await record("refused", `${params.key} (${(error as { id?: string }).id ?? "internal_error"})`);
    throw error;
  }
  await ended;
  if (failure !== undefined || result === undefined) throw failure;
  const data: TenantConfiguredPayload = {
    operationId: result.operationId,
    tenant: result.tenant,
    key: result.key,
    changed: result.changed,
    recreated: result.recreated,
    entry: result.entry,
  };
  res.setHeader("Cache-Control", "no-store");
  res.json({ ok: true, data });
}
