import type { AuditEntry } from "../commands/staffAccounts.js";
import type { AuditPayload } from "../contracts/api.js";

/** One audit row as the API shows it. */
export function presentAuditEntry(entry: AuditEntry): AuditPayload {
  return {
    id: entry.id,
    occurredAt: entry.occurredAt.toISOString(),
    staffEmail: entry.staffEmail,
    ip: entry.ip,
    userAgent: entry.userAgent,
    action: entry.action,
    target: entry.target,
    outcome: entry.outcome,
    detail: entry.detail,
  };
}
