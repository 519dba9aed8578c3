import type { EmulatorContext } from "../context.js";
import type { Template, TemplateStatus } from "../state/types.js";
import { fieldEnvelope } from "./payloads.js";
import type { Delivery } from "./sender.js";

/**
 * Moves a template to a new review status and tells the app with a
 * `message_template_status_update` webhook (A6). `reason` defaults to `NONE`, or
 * `INVALID_FORMAT` for a rejection.
 */
export function setTemplateStatus(
  ctx: EmulatorContext,
  template: Template,
  status: TemplateStatus,
  reason?: string,
): Delivery[] {
  template.status = status;
  const why = reason ?? (status === "REJECTED" ? "INVALID_FORMAT" : "NONE");
  template.rejectedReason = status === "REJECTED" ? why : "NONE";
  const value: Record<string, unknown> = {
    event: status,
    message_template_id: Number(template.id),
    message_template_name: template.name,
    message_template_language: template.language,
    message_template_category: template.category,
    reason: why,
  };
  if (status === "DISABLED") value.disable_info = { disable_date: ctx.clock.nowSeconds() };
  if (status === "PAUSED") {
    value.other_info = {
      title: "FIRST_PAUSE",
      description: `Your ${template.name} template has been paused for 3 hours because of low quality.`,
    };
  }
  ctx.store.changed({ kind: "template" });
  return ctx.sender.send(
    fieldEnvelope(ctx.business, "message_template_status_update", value, ctx.clock.nowSeconds()),
    { kind: "message_template_status_update" },
  );
}
