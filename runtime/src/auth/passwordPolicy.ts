import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../contracts/accounts.js";
import type { PasswordRule } from "../../contracts/password-rules.js";
import { weakPassword } from "../errors.js";

/** Passwords people pick first; refused whatever their length would allow. */
const COMMON = new Set([
  "123456789012",
  "1234567890ab",
  "qwertyuiopas",
  "passwordpassword",
  "password1234",
  "senha1234567",
  "senhasenha12",
  "atendeatende",
  "whatsapp1234",
]);

/** How each rule is explained in the API's (English) message. */
const REASONS: Record<PasswordRule, string> = {
  min_length: `it must have at least ${PASSWORD_MIN_LENGTH} characters`,
  max_length: `it must have at most ${PASSWORD_MAX_LENGTH} characters`,
  no_control_characters: "it must not contain control characters",
  not_email: "it must not contain your e-mail address",
  not_repetitive: "it must not repeat one or two characters",
  not_common: "it is one of the most common passwords",
};

/**
 * The rules a password a person chose does not meet, in a stable order; empty when it is
 * acceptable. Length is what matters most (NIST SP 800-63B): at least 12 characters, no
 * composition rules, but not the e-mail, not one repeated character and not one of the
 * best-known passwords.
 */
export function unmetPasswordRules(password: string, context: { email: string }): PasswordRule[] {
  const unmet: PasswordRule[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) unmet.push("min_length");
  if (length > PASSWORD_MAX_LENGTH) unmet.push("max_length");
  if (/\p{Cc}/u.test(password)) unmet.push("no_control_characters");
  const lowered = password.toLowerCase();
  const email = context.email.toLowerCase();
  const local = email.split("@")[0] ?? "";
  if (lowered === email || (local.length >= 4 && lowered.includes(local))) unmet.push("not_email");
  if (new Set(lowered).size <= 2) unmet.push("not_repetitive");
  if (COMMON.has(lowered)) unmet.push("not_common");
  return unmet;
}

/**
 * Checks a password a person chose.
 * @throws weak_password (422) naming every unmet rule: in the message, and as ids in
 *   `data.rules` for the browser to explain in the user's language
 */
export function assertAcceptablePassword(password: string, context: { email: string }): void {
  const rules = unmetPasswordRules(password, context);
  if (rules.length === 0) return;
  throw weakPassword(
    rules.map((rule) => REASONS[rule]),
    rules,
  );
}
