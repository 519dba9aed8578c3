import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../contracts/accounts.js";
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

/**
 * Checks a password a person chose. Length is what matters most (NIST SP 800-63B): at least
 * 12 characters, no composition rules, but not the e-mail, not one repeated character and not
 * one of the best-known passwords.
 * @throws weak_password saying which rule failed
 */
export function assertAcceptablePassword(password: string, context: { email: string }): void {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH)
    throw weakPassword(`it must have at least ${PASSWORD_MIN_LENGTH} characters`);
  if (length > PASSWORD_MAX_LENGTH)
    throw weakPassword(`it must have at most ${PASSWORD_MAX_LENGTH} characters`);
  if (/\p{Cc}/u.test(password)) throw weakPassword("it must not contain control characters");
  const lowered = password.toLowerCase();
  const local = context.email.split("@")[0] ?? "";
  if (lowered === context.email || (local.length >= 4 && lowered.includes(local)))
    throw weakPassword("it must not contain your e-mail address");
  if (new Set(lowered).size <= 2) throw weakPassword("it must not repeat one or two characters");
  if (COMMON.has(lowered)) throw weakPassword("it is one of the most common passwords");
}
