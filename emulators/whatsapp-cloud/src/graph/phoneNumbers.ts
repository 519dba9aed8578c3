import type { EmulatorContext } from "../context.js";

function pick(
  full: Record<string, unknown>,
  fields: string[] | undefined,
): Record<string, unknown> {
  if (!fields || fields.length === 0) return full;
  return Object.fromEntries(
    Object.entries(full).filter(([key]) => key === "id" || fields.includes(key)),
  );
}

/** Formats digits like WhatsApp shows them: `+55 11 99999-0000`. */
export function prettyPhone(digits: string): string {
  const br = /^55(\d{2})(\d{4,5})(\d{4})$/.exec(digits);
  if (br) return `+55 ${br[1]} ${br[2]}-${br[3]}`;
  return `+${digits}`;
}

/** `GET /{phone-number-id}`: the business number's profile (fields filter supported). */
export function phoneNumberInfo(ctx: EmulatorContext, fields?: string[]): Record<string, unknown> {
  const { throughputPerSecond } = ctx.settings;
  return pick(
    {
      verified_name: ctx.business.verifiedName,
      code_verification_status: "VERIFIED",
      display_phone_number: prettyPhone(ctx.business.displayPhoneNumber),
      quality_rating: "GREEN",
      platform_type: "CLOUD_API",
      throughput: {
        level: throughputPerSecond === 0 || throughputPerSecond > 80 ? "HIGH" : "STANDARD",
      },
      name_status: "APPROVED",
      messaging_limit_tier: "TIER_1K",
      status: "CONNECTED",
      is_official_business_account: false,
      id: ctx.business.phoneNumberId,
    },
    fields,
  );
}

/** `GET /{waba-id}`: the WhatsApp Business Account. */
export function wabaInfo(ctx: EmulatorContext, fields?: string[]): Record<string, unknown> {
  return pick(
    {
      id: ctx.business.wabaId,
      name: ctx.business.verifiedName,
      currency: "BRL",
      timezone_id: "25",
      message_template_namespace: `emulator_${ctx.business.wabaId}`,
      account_review_status: "APPROVED",
    },
    fields,
  );
}
