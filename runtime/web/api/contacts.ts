import type { ContactPanelPayload, ContactUpdateRequest } from "../../contracts/contacts.js";
import { apiRequest } from "./client.js";

/** The contact panel: name, number, tags, consent and its history (`contacts.view`). */
export function readContactPanel(contactId: number): Promise<ContactPanelPayload> {
  return apiRequest<ContactPanelPayload>("GET", `/api/contacts/${contactId}`);
}

/** Renames the contact or replaces their tags (`contacts.edit`). */
export function updateContact(
  contactId: number,
  change: ContactUpdateRequest,
): Promise<ContactPanelPayload> {
  return apiRequest<ContactPanelPayload>("PATCH", `/api/contacts/${contactId}`, change);
}
