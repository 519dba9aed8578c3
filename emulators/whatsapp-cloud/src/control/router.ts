import express, { type NextFunction, type Request, type Response, Router } from "express";
import { z } from "zod";
import type { EmulatorContext } from "../context.js";
import { ControlError, controlErrors } from "../errors.js";
import type { GraphFaultSpec, WebhookFaultSpec } from "../state/faults.js";
import type { ChangeEvent } from "../state/store.js";
import type { ReportedStatus, TemplateStatus } from "../state/types.js";
import type { BatchLayout } from "../webhooks/inbound.js";
import type { DeliveryState } from "../webhooks/sender.js";
import type { EmulatorControl } from "./controller.js";

const batchSchema = z.strictObject({
  messages: z.array(z.looseObject({})).min(1).max(1000),
  layout: z.enum(["value", "changes", "entries"]).optional(),
});

const rawWebhookSchema = z.strictObject({
  payload: z.unknown().optional(),
  body: z.string().optional(),
  signature: z.enum(["valid", "bad", "missing"]).optional(),
  kind: z.string().optional(),
});

const templateStatusSchema = z.strictObject({
  status: z.string().transform((s) => s.toUpperCase()),
  language: z.string().optional(),
  reason: z.string().optional(),
});

const faultSchema = z.looseObject({ side: z.enum(["graph", "webhook"]) });

/**
 * `/_emulator/*`: the JSON control API (README). Answers errors in the house shape
 * `{ ok:false, error, status, message, data? }`. Unauthenticated: the emulator listens on
 * 127.0.0.1 and is a test tool.
 */
export function createControlRouter(
  ctx: EmulatorContext,
  control: EmulatorControl,
  sse: { open: Set<Response> },
): Router {
  const router = Router();
  router.use(express.json({ limit: "150mb" }));

  const wait = (req: Request) =>
    req.query.wait === "true" || (req.body as { wait?: unknown } | undefined)?.wait === true;
  const withoutWait = (body: unknown) => {
    if (body === null || typeof body !== "object" || Array.isArray(body)) return body;
    const { wait: _wait, ...rest } = body as Record<string, unknown>;
    return rest;
  };
  const settle = async (req: Request, ids: string[]) => {
    if (!wait(req)) return null;
    return Promise.all(ids.map((id) => control.waitForDelivery(id)));
  };

  router.get("/info", (_req, res) => {
    res.json(control.info());
  });

  router.get("/webhook", (_req, res) => {
    res.json({ webhook: control.webhook() });
  });
  router.put("/webhook", (req, res) => {
    control.configureWebhook(req.body);
    res.json({ webhook: control.webhook() });
  });
  router.post("/webhook/verify", async (req, res) => {
    const body = (req.body ?? {}) as { verifyToken?: unknown; challenge?: unknown };
    res.json(
      await control.verifyWebhook({
        ...(typeof body.verifyToken === "string" ? { verifyToken: body.verifyToken } : {}),
        ...(typeof body.challenge === "string" ? { challenge: body.challenge } : {}),
      }),
    );
  });
  router.post("/webhook/raw", async (req, res) => {
    const ids = control.sendRawWebhook(rawWebhookSchema.parse(withoutWait(req.body)));
    res.json({ deliveries: ids, settled: await settle(req, ids) });
  });
  router.post("/webhook/errors", async (req, res) => {
    const body = z
      .strictObject({
        errors: z
          .array(z.strictObject({ code: z.number().int(), details: z.string().optional() }))
          .min(1),
      })
      .parse(withoutWait(req.body));
    const ids = control.sendErrorsWebhook(body.errors);
    res.json({ deliveries: ids, settled: await settle(req, ids) });
  });
  router.post("/webhook/field", async (req, res) => {
    const body = z
      .strictObject({ field: z.string().min(1), value: z.unknown() })
      .parse(withoutWait(req.body));
    const ids = control.sendFieldWebhook(body.field, body.value);
    res.json({ deliveries: ids, settled: await settle(req, ids) });
  });
  router.get("/webhook/deliveries", (req, res) => {
    const kind = typeof req.query.kind === "string" ? req.query.kind : undefined;
    const state =
      typeof req.query.state === "string" ? (req.query.state as DeliveryState) : undefined;
    res.json({
      data: control.deliveries({
        ...(kind === undefined ? {} : { kind }),
        ...(state === undefined ? {} : { state }),
        withBody: req.query.body !== "false",
      }),
    });
  });
  router.get("/webhook/deliveries/:id", (req, res) => {
    res.json(control.delivery(req.params.id));
  });
  router.get("/webhook/stats", (_req, res) => {
    res.json(control.webhookStats());
  });
  router.post("/webhook/idle", async (req, res) => {
    const timeoutMs = Number(req.query.timeoutMs ?? 10_000);
    await control.waitForWebhooks(timeoutMs);
    res.json({ idle: true });
  });

  router.post("/inbound", async (req, res) => {
    const result = control.receive(withoutWait(req.body) as Record<string, unknown>);
    res.status(201).json({ ...result, settled: await settle(req, result.deliveries) });
  });
  router.post("/inbound/batch", async (req, res) => {
    const body = batchSchema.parse(withoutWait(req.body));
    const result = control.receiveBatch(body.messages, body.layout as BatchLayout | undefined);
    res.status(201).json({ ...result, settled: await settle(req, result.deliveries) });
  });
  router.get("/inbound", (req, res) => {
    const from = typeof req.query.from === "string" ? req.query.from : undefined;
    res.json({ data: control.inboundMessages(from === undefined ? {} : { from }) });
  });

  router.get("/messages", (req, res) => {
    const filter: { to?: string; status?: string; type?: string } = {};
    for (const key of ["to", "status", "type"] as const) {
      const value = req.query[key];
      if (typeof value === "string") filter[key] = value;
    }
    res.json({ data: control.messages(filter) });
  });
  router.get("/messages/:wamid", (req, res) => {
    res.json(control.message(req.params.wamid));
  });
  router.post("/messages/:wamid/statuses", async (req, res) => {
    const body = withoutWait(req.body) as {
      statuses: ReportedStatus[];
      code?: number;
      details?: string;
    };
    const result = control.reportStatuses(req.params.wamid, body);
    res.json({ ...result, settled: await settle(req, result.deliveries) });
  });

  router.get("/customers", (_req, res) => {
    res.json({ data: control.customers() });
  });
  router.put("/customers/:ref", (req, res) => {
    const ref = req.params.ref;
    const isPhone = /^\d+$/.test(ref);
    res.json(control.updateCustomer(isPhone ? { waId: ref } : { userId: ref }, req.body ?? {}));
  });
  router.get("/conversations/:ref", (req, res) => {
    res.json(control.conversation(req.params.ref));
  });
  router.post("/conversations/:ref/read", (req, res) => {
    res.json(control.readAll(req.params.ref));
  });

  router.get("/templates", (_req, res) => {
    res.json({ data: control.templates() });
  });
  router.post("/templates", (req, res) => {
    const { status, ...definition } = (req.body ?? {}) as { status?: string };
    res
      .status(201)
      .json(
        control.addTemplate(definition, (status?.toUpperCase() ?? "APPROVED") as TemplateStatus),
      );
  });
  router.post("/templates/:ref/status", async (req, res) => {
    const body = templateStatusSchema.parse(withoutWait(req.body));
    const result = control.setTemplateStatus(req.params.ref, body.status as TemplateStatus, {
      ...(body.language === undefined ? {} : { language: body.language }),
      ...(body.reason === undefined ? {} : { reason: body.reason }),
    });
    res.json({ ...result, settled: await settle(req, result.deliveries) });
  });

  router.get("/tokens", (_req, res) => {
    res.json({ data: control.tokens() });
  });
  router.post("/tokens", (req, res) => {
    const body = z
      .strictObject({ token: z.string().min(8).optional(), permitted: z.boolean().optional() })
      .parse(req.body ?? {});
    res.status(201).json(control.createToken(body));
  });
  router.post("/tokens/revoke", (req, res) => {
    const body = z
      .strictObject({
        token: z.string().optional(),
        mode: z.enum(["revoked", "expired"]).optional(),
      })
      .parse(req.body ?? {});
    res.json(control.revokeToken(body.token, body.mode));
  });
  router.post("/tokens/restore", (req, res) => {
    const body = z.strictObject({ token: z.string().optional() }).parse(req.body ?? {});
    res.json(control.restoreToken(body.token));
  });

  router.get("/faults", (_req, res) => {
    res.json(control.faults());
  });
  router.post("/faults", (req, res) => {
    const { side, ...spec } = faultSchema.parse(req.body);
    const fault =
      side === "graph"
        ? control.addGraphFault(spec as unknown as GraphFaultSpec)
        : control.addWebhookFault(spec as unknown as WebhookFaultSpec);
    res.status(201).json(fault);
  });
  router.delete("/faults/:id", (req, res) => {
    control.removeFault(req.params.id);
    res.json({ ok: true });
  });
  router.delete("/faults", (req, res) => {
    const side = req.query.side;
    control.clearFaults(side === "graph" || side === "webhook" ? side : undefined);
    res.json({ ok: true });
  });

  router.get("/settings", (_req, res) => {
    res.json(control.settings());
  });
  router.patch("/settings", (req, res) => {
    res.json(control.updateSettings(req.body ?? {}));
  });

  router.post("/clock/advance", (req, res) => {
    const body = z.strictObject({ ms: z.number().min(0) }).parse(req.body ?? {});
    res.json(control.advanceClock(body.ms));
  });

  router.get("/requests", (_req, res) => {
    res.json({ data: control.requests() });
  });

  router.post("/reset", (req, res) => {
    const keepWebhook = (req.body as { keepWebhook?: unknown } | undefined)?.keepWebhook !== false;
    control.reset({ keepWebhook });
    res.json({ ok: true });
  });

  router.get("/media/:id", (req, res) => {
    const media = ctx.store.media.get(req.params.id);
    if (!media || media.deleted) throw controlErrors.notFound(`Media ${req.params.id}`);
    res
      .status(200)
      .type(media.mimeType)
      .set(
        "Content-Disposition",
        `inline; filename="${(media.filename ?? media.id).replace(/[^\w.-]/g, "_")}"`,
      )
      .set("X-Content-Type-Options", "nosniff")
      .send(media.data);
  });

  router.get("/events", (req, res) => {
    res.status(200).set({
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
    });
    res.flushHeaders();
    res.write("retry: 1000\n\n");
    const onChange = (event: ChangeEvent) => {
      res.write(`event: change\ndata: ${JSON.stringify(event)}\n\n`);
    };
    const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
    ctx.store.on("change", onChange);
    sse.open.add(res);
    req.on("close", () => {
      clearInterval(keepAlive);
      ctx.store.off("change", onChange);
      sse.open.delete(res);
    });
  });

  router.use((_req, _res, next) => next(controlErrors.notFound("Control endpoint")));
  router.use(controlErrorHandler(ctx));
  return router;
}

function controlErrorHandler(ctx: EmulatorContext) {
  return (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    let mapped: ControlError;
    if (error instanceof ControlError) {
      mapped = error;
    } else if (error instanceof z.ZodError) {
      const issue = error.issues[0];
      mapped = controlErrors.validation(
        issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "Invalid input",
        { issues: error.issues.slice(0, 5) },
      );
    } else if (
      typeof error === "object" &&
      error !== null &&
      "type" in error &&
      (error as { type: unknown }).type === "entity.parse.failed"
    ) {
      mapped = controlErrors.validation("The body is not valid JSON.");
    } else {
      ctx.logger.error({ err: error }, "control request failed");
      mapped = new ControlError(
        "internal_error",
        500,
        "The emulator failed to handle this control request.",
      );
    }
    res.status(mapped.status).json({
      ok: false,
      error: mapped.id,
      status: mapped.status,
      message: mapped.message,
      ...(mapped.data === undefined ? {} : { data: mapped.data }),
    });
  };
}
