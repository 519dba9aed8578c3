import type { DeliveryStatus } from "../../../contracts/messages.js";

/**
 * Rank of each delivery status: a status only ever replaces a lower one (A3.3). `failed`
 * overrides only `accepted`/`sent`; a `delivered` that arrives after `failed` (several devices)
 * wins, and nothing undoes `read`.
 */
export const STATUS_RANK: Readonly<Record<DeliveryStatus, number>> = {
  // Local states of an outbound message before Meta answered: anything Meta reports wins.
  queued: 0,
  sending: 0,
  accepted: 1,
  sent: 2,
  failed: 3,
  delivered: 4,
  read: 5,
  played: 6,
};

/** The status if it is one Meta reports and the inbox tracks (never a local one). */
export function asDeliveryStatus(value: unknown): DeliveryStatus | undefined {
  return typeof value === "string" &&
    Object.hasOwn(STATUS_RANK, value) &&
    value !== "queued" &&
    value !== "sending"
    ? (value as DeliveryStatus)
    : undefined;
}
