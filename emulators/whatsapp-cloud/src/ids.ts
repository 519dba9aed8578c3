import { createHash, randomBytes, randomInt } from "node:crypto";

/** A message id shaped like Meta's (`wamid.HBgN...`). Unique per call. */
export function newWamid(): string {
  return `wamid.HBgN${randomBytes(27).toString("base64url")}`;
}

/** A numeric id like Meta's media, template and object ids (16 digits, safe as a JS number). */
export function newNumericId(): string {
  return `${randomInt(1, 9)}${String(randomInt(0, 10 ** 12)).padStart(12, "0")}${String(randomInt(0, 1000)).padStart(3, "0")}`;
}

/** A stable business-scoped user id (BSUID, A9) for a phone number: `BR.` + digits. */
export function bsuidFor(waId: string): string {
  const country = waId.startsWith("55") ? "BR" : waId.startsWith("1") ? "US" : "ZZ";
  const digest = createHash("sha256").update(`bsuid:${waId}`).digest();
  return `${country}.${digest.readBigUInt64BE(0).toString().slice(0, 16)}`;
}

/** A fresh BSUID for a customer who has no phone number in the emulator. */
export function newBsuid(country = "BR"): string {
  return `${country}.${randomBytes(8).readBigUInt64BE(0).toString().slice(0, 16)}`;
}

/** The Brazil quirk: many mobile wa_ids lack the 9th digit the number is dialled with. */
export function brazilWaId(digits: string): string {
  const match = /^55(\d{2})9(\d{8})$/.exec(digits);
  return match ? `55${match[1]}${match[2]}` : digits;
}
