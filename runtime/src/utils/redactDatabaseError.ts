/**
 * Database errors from mysql2 (and knex/objection, which wrap them) repeat the failing SQL with
 * its values — customers' numbers, names, message text — in `message`, `sql`, `sqlMessage` and
 * the stack's first line. Before an error reaches a log line or a failed job kept in Redis it is
 * replaced by one that keeps only what diagnoses it: the driver's code, errno and SQL state.
 */

interface DriverError {
  code?: unknown;
  errno?: unknown;
  sqlState?: unknown;
  sql?: unknown;
  sqlMessage?: unknown;
  nativeError?: unknown;
}

/** The database error inside `error` (objection keeps the driver's as `nativeError`), if any. */
function driverErrorOf(error: unknown): DriverError | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const candidate = error as DriverError;
  if (typeof candidate.sql === "string" || typeof candidate.sqlMessage === "string") {
    return candidate;
  }
  return candidate.nativeError === undefined ? undefined : driverErrorOf(candidate.nativeError);
}

/** A database failure with the values taken out; `code` stays for retry decisions. */
export class RedactedDatabaseError extends Error {
  readonly code: string | undefined;
  readonly errno: number | undefined;
  readonly sqlState: string | undefined;

  constructor(driver: DriverError) {
    const code = typeof driver.code === "string" ? driver.code : undefined;
    const errno = typeof driver.errno === "number" ? driver.errno : undefined;
    const sqlState = typeof driver.sqlState === "string" ? driver.sqlState : undefined;
    super(`database error ${code ?? "unknown"}${errno === undefined ? "" : ` (errno ${errno})`}`);
    this.name = "DatabaseError";
    this.code = code;
    this.errno = errno;
    this.sqlState = sqlState;
  }
}

/** `error` itself, or a `RedactedDatabaseError` in its place when it came from the database. */
export function redactDatabaseError<T>(error: T): T | RedactedDatabaseError {
  const driver = driverErrorOf(error);
  return driver === undefined ? error : new RedactedDatabaseError(driver);
}
