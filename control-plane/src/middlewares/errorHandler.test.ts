import { describe, expect, it } from "vitest";
import { forbidden, validationError } from "../apiErrors.js";
import {
  AtendeError,
  dockerUnavailable,
  invalidEmail,
  operationCancelled,
  tenantBusy,
  tenantNotFound,
  tenantUnhealthy,
} from "../errors.js";
import { mapError } from "./errorHandler.js";

describe("mapError", () => {
  it("maps each domain error category to its HTTP status with id, message and hint", () => {
    expect(mapError(invalidEmail("x")).status).toBe(400);
    expect(mapError(tenantNotFound("acme")).status).toBe(404);
    expect(mapError(tenantBusy("acme", "create", "host:1", new Date())).status).toBe(409);
    expect(mapError(dockerUnavailable("down")).status).toBe(503);
    expect(mapError(tenantUnhealthy("acme", "app", "exited")).status).toBe(502);
    const mapped = mapError(tenantNotFound("acme"));
    expect(mapped.body).toEqual({
      ok: false,
      error: "tenant_not_found",
      status: 404,
      message: 'There is no tenant named "acme".',
      hint: expect.any(String),
    });
    expect(mapped.reportable).toBe(false);
  });

  it("hides unknown errors and uncategorised domain errors as a reportable internal_error", () => {
    for (const error of [
      new Error("ECONNRESET at 10.0.0.3 password=hunter2"),
      new AtendeError("something_new", "secret detail"),
      operationCancelled("create"),
    ]) {
      const mapped = mapError(error);
      expect(mapped.status).toBe(500);
      expect(mapped.body.error).toBe("internal_error");
      expect(mapped.body.message).not.toMatch(/hunter2|secret|cancelled/);
      expect(mapped.reportable).toBe(true);
    }
  });

  it("keeps the edge's own errors as they are", () => {
    expect(mapError(validationError("Invalid name: too long.")).body).toMatchObject({
      error: "validation_error",
      status: 400,
    });
    expect(mapError(forbidden("owner")).status).toBe(403);
  });
});
