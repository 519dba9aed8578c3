import { describe, expect, it } from "vitest";
import { AppError, invalidCredentials, mapError, notFound, validationError } from "./errors.js";

describe("mapError", () => {
  it("maps a domain error to its status and the one JSON shape", () => {
    expect(mapError(invalidCredentials())).toEqual({
      status: 401,
      isReportable: false,
      body: {
        ok: false,
        error: "invalid_credentials",
        status: 401,
        message: "E-mail or password is incorrect.",
      },
    });
  });

  it("includes data only when the error carries some", () => {
    expect(mapError(validationError("Invalid email", { field: "email" })).body).toEqual({
      ok: false,
      error: "validation_error",
      status: 400,
      message: "Invalid email",
      data: { field: "email" },
    });
    expect(mapError(notFound()).body).not.toHaveProperty("data");
  });

  it("hides unknown errors behind internal_error and marks them for logging", () => {
    const mapped = mapError(
      new Error("ER_NO_SUCH_TABLE: Table 'atende.users' doesn't exist at db:3306"),
    );
    expect(mapped).toEqual({
      status: 500,
      isReportable: true,
      body: { ok: false, error: "internal_error", status: 500, message: "Something went wrong." },
    });
    expect(mapError("a thrown string").body.error).toBe("internal_error");
    expect(mapError(undefined).body.error).toBe("internal_error");
  });

  it("translates Express body-parser and static-file errors caused by the client", () => {
    expect(
      mapError(Object.assign(new Error("x"), { type: "entity.parse.failed", status: 400 })).body
        .error,
    ).toBe("invalid_json");
    expect(
      mapError(Object.assign(new Error("x"), { type: "entity.too.large", status: 413 })).status,
    ).toBe(413);
    expect(
      mapError(Object.assign(new Error("x"), { type: "charset.unsupported", status: 415 })).status,
    ).toBe(415);
    expect(mapError(Object.assign(new Error("ENOENT"), { status: 404 })).body.error).toBe(
      "not_found",
    );
    expect(
      mapError(Object.assign(new Error("x"), { type: "stream.not.readable" })).body.error,
    ).toBe("internal_error");
  });

  it("answers 503 service_unavailable, reportable, when the database or Redis is unreachable", () => {
    const redisDown = Object.assign(new Error("Reached the max retries per request limit"), {
      name: "MaxRetriesPerRequestError",
    });
    const dbDown = Object.assign(new Error("connect ECONNREFUSED 10.0.0.3:3306"), {
      code: "ECONNREFUSED",
    });
    const wrapped = Object.assign(new Error("wrapped"), {
      nativeError: { code: "PROTOCOL_CONNECTION_LOST" },
    });
    for (const error of [redisDown, dbDown, wrapped]) {
      const mapped = mapError(error);
      expect(mapped).toMatchObject({
        status: 503,
        isReportable: true,
        body: { error: "service_unavailable" },
      });
      expect(mapped.body.message).not.toContain("10.0.0.3");
    }
  });

  it("keeps reportable domain errors reportable", () => {
    const outage = new AppError("service_unavailable", 503, "down", { isReportable: true });
    expect(mapError(outage)).toMatchObject({ status: 503, isReportable: true });
  });
});
