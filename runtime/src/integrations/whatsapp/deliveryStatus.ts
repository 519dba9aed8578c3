import { type DeliveryStatus, STATUS_RANK } from "../../../contracts/messages.js";

/** The status if it is one Meta reports and the inbox tracks (never a local one). */
export function asDeliveryStatus(value: unknown): DeliveryStatus | undefined {
  return typeof value === "string" &&
    Object.hasOwn(STATUS_RANK, value) &&
    value !== "queued" &&
    value !== "sending"
    ? (value as DeliveryStatus)
    : undefined;
}
