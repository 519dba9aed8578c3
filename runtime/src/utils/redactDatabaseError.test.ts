import { describe, expect, it } from "vitest";
import { redactDatabaseError } from "./redactDatabaseError.js";

/** What mysql2 + knex throw for a failed statement: the values are in message, sql and stack. */
function driverError(): Error {
  const sql = "INSERT INTO contacts (wa_id, name) VALUES ('5511970004242', 'Mariana')";
  const error = Object.assign(
    new Error(`${sql} - Duplicate entry '5511970004242' for key 'contacts_wa_id_unique'`),
    {
      code: "ER_DUP_ENTRY",
      errno: 1062,
      sqlState: "23000",
      sql,
      sqlMessage: "Duplicate entry '5511970004242' for key 'contacts_wa_id_unique'",
    },
  );
  return error;
}

describe("redactDatabaseError", () => {
  it("keeps the code, errno and SQL state of a database error and drops every value", () => {
    const redacted = redactDatabaseError(driverError());
    expect(redacted).toMatchObject({ code: "ER_DUP_ENTRY", errno: 1062, sqlState: "23000" });
    const everything = JSON.stringify({
      ...redacted,
      message: redacted.message,
      stack: redacted.stack,
    });
    expect(everything).not.toContain("5511970004242");
    expect(everything).not.toContain("Mariana");
    expect(redacted.message).toBe("database error ER_DUP_ENTRY (errno 1062)");
  });

  it("finds the driver's error inside objection's wrapper", () => {
    const wrapped = Object.assign(new Error("wrapped"), { nativeError: driverError() });
    expect(redactDatabaseError(wrapped).message).toBe("database error ER_DUP_ENTRY (errno 1062)");
  });

  it("leaves other errors as they are", () => {
    const ordinary = new Error("the Graph API timed out");
    expect(redactDatabaseError(ordinary)).toBe(ordinary);
    expect(redactDatabaseError("text")).toBe("text");
  });
});
