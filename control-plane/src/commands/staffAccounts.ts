import type { ControlPlane } from "../controlPlane.js";
import { invalidOption, staffExists, staffNotFound } from "../errors.js";
import { generateOneTimePassword, hashPassword, verifyPassword } from "../staff/passwords.js";
import {
  type AuditEntry,
  type AuditInput,
  STAFF_ROLES,
  type StaffRecord,
  StaffRepository,
  type StaffRole,
} from "../staff/staffRepository.js";
import { validateEmail } from "./preflight.js";

/** A staff account as it leaves the control plane: never the hash. */
export interface StaffView {
  id: number;
  email: string;
  role: StaffRole;
  disabled: boolean;
  createdAt: string;
}

/** What `create-staff` hands back: the password is shown once and stored only as a hash. */
export interface CreatedStaff {
  email: string;
  role: StaffRole;
  oneTimePassword: string;
}

/** The only way a staff account leaves the control plane. */
export function presentStaff(record: StaffRecord): StaffView {
  return {
    id: record.id,
    email: record.email,
    role: record.role,
    disabled: record.disabled,
    createdAt: record.createdAt.toISOString(),
  };
}

const repository = (cp: ControlPlane) => new StaffRepository(cp.store.db);

/** Creates a staff account with a one-time password (`atende control-plane create-staff`). */
export async function createStaff(
  cp: ControlPlane,
  props: { email: string; role: string },
): Promise<CreatedStaff> {
  const email = props.email.trim().toLowerCase();
  validateEmail(email);
  if (!(STAFF_ROLES as readonly string[]).includes(props.role))
    throw invalidOption(
      `Unknown staff role "${props.role}".`,
      `Use one of: ${STAFF_ROLES.join(", ")}.`,
    );
  const role = props.role as StaffRole;
  const staff = repository(cp);
  if (await staff.findByEmail(email)) throw staffExists(email);
  const oneTimePassword = generateOneTimePassword();
  await staff.insert(email, await hashPassword(oneTimePassword), role);
  return { email, role, oneTimePassword };
}

/**
 * Disables (or re-enables) a staff account: a disabled account cannot sign in and its open
 * sessions end at once. Accounts are never deleted, so the audit log keeps its meaning.
 */
export async function setStaffDisabled(
  cp: ControlPlane,
  props: { email: string; disabled: boolean; actingStaffId?: number },
): Promise<StaffView> {
  const email = props.email.trim().toLowerCase();
  const staff = repository(cp);
  const record = await staff.findByEmail(email);
  if (!record) throw staffNotFound(email);
  if (props.disabled && record.id === props.actingStaffId)
    throw invalidOption("You cannot disable your own account.", "Ask another owner to do it.");
  await staff.setDisabled(record.id, props.disabled);
  return presentStaff({ ...record, disabled: props.disabled });
}

/** Every staff account, by e-mail. */
export async function listStaff(cp: ControlPlane): Promise<StaffView[]> {
  return (await repository(cp).list()).map(presentStaff);
}

/**
 * Checks credentials and opens a session. Returns undefined for a wrong e-mail, a wrong
 * password or a disabled account alike, so callers cannot tell which one it was.
 */
export async function signInStaff(
  cp: ControlPlane,
  props: { email: string; password: string; sessionTtlMs: number },
): Promise<{ staff: StaffView; token: string } | undefined> {
  const staff = repository(cp);
  const record = await staff.findByEmail(props.email.trim().toLowerCase());
  // Hash even for unknown accounts, so response time does not reveal which e-mails exist.
  const valid = await verifyPassword(props.password, record?.passwordHash ?? DUMMY_HASH);
  if (!record || !valid || record.disabled) return undefined;
  return {
    staff: presentStaff(record),
    token: await staff.createSession(record.id, props.sessionTtlMs),
  };
}

const DUMMY_HASH =
  "$scrypt$ln=15,r=8,p=3$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

/** The account behind a session token, or undefined when signed out, expired or disabled. */
export async function resolveStaffSession(
  cp: ControlPlane,
  props: { token: string; idleMs: number },
): Promise<StaffView | undefined> {
  const record = await repository(cp).resolveSession(props.token, props.idleMs);
  return record ? presentStaff(record) : undefined;
}

/** Ends a session (idempotent). */
export async function signOutStaff(cp: ControlPlane, token: string): Promise<void> {
  await repository(cp).deleteSession(token);
}

/** Appends a row to the staff audit log (append-only). */
export async function recordStaffAction(cp: ControlPlane, entry: AuditInput): Promise<void> {
  await repository(cp).audit(entry);
}

/** The audit log, newest first. */
export async function listStaffAudit(
  cp: ControlPlane,
  options: { limit: number; before?: number },
): Promise<AuditEntry[]> {
  return repository(cp).listAudit(options);
}

export type { AuditEntry, AuditInput, StaffRole };
