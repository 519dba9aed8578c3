/** Password rules every chosen password must meet (generated one-time passwords are longer). */
export const PASSWORD_MIN_LENGTH = 12;
/** Upper bound: keeps a hostile client from making scrypt hash megabytes. */
export const PASSWORD_MAX_LENGTH = 256;

/**
 * The rules a new password must meet, by stable id. A `weak_password` failure lists the unmet
 * ones in `data.rules`, so the browser can explain each in the interface language.
 */
export const passwordRules = [
  /** At least `PASSWORD_MIN_LENGTH` characters. */
  "min_length",
  /** At most `PASSWORD_MAX_LENGTH` characters. */
  "max_length",
  /** No control characters (tabs, line breaks, …). */
  "no_control_characters",
  /** Not the e-mail address, nor containing its part before the @. */
  "not_email",
  /** More than two different characters. */
  "not_repetitive",
  /** Not one of the best-known passwords. */
  "not_common",
] as const;

/** One password rule. */
export type PasswordRule = (typeof passwordRules)[number];
