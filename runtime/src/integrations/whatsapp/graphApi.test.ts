import { describe, expect, it } from "vitest";
import { failureReasons, failureReasonTexts } from "../../../contracts/whatsapp-failures.js";
import { classifyGraphFailure, graphApiErrorFrom } from "./graphApi.js";

describe("classifyGraphFailure", () => {
  it.each([
    [400, 131047, "window_closed", false],
    [400, 130429, "rate_limited", true],
    [400, 131056, "rate_limited", true],
    [400, 80007, "rate_limited", true],
    [400, 4, "rate_limited", true],
    [401, 190, "token_invalid", false],
    [401, 100, "token_invalid", false],
    [403, 10, "permission_denied", false],
    [400, 131026, "recipient_unavailable", false],
    [400, 131052, "media_unavailable", false],
    [400, 131053, "media_unavailable", false],
    [400, 100, "invalid_parameter", false],
    [400, 131008, "invalid_parameter", false],
    [400, 131009, "invalid_parameter", false],
    [404, 132001, "template_invalid", false],
    [400, 132000, "template_invalid", false],
    [400, 132015, "template_paused", false],
    [400, 132016, "template_disabled", false],
    [500, 131000, "meta_unavailable", true],
    [503, 131016, "meta_unavailable", true],
    [500, 1, "meta_unavailable", true],
    [500, 2, "meta_unavailable", true],
    [403, 368, "account_blocked", false],
  ] as const)("HTTP %i code %i is %s (retryable: %s)", (status, code, reason, retryable) => {
    expect(classifyGraphFailure(status, code)).toEqual({ reason, retryable });
  });

  it("falls back on the HTTP status when Meta gives no code", () => {
    expect(classifyGraphFailure(429)).toEqual({ reason: "rate_limited", retryable: true });
    expect(classifyGraphFailure(502)).toEqual({ reason: "meta_unavailable", retryable: true });
    expect(classifyGraphFailure(401)).toEqual({ reason: "token_invalid", retryable: false });
    expect(classifyGraphFailure(400, 999_999)).toEqual({ reason: "unknown", retryable: false });
  });

  it("has an English and a Brazilian-Portuguese text for every reason", () => {
    for (const reason of failureReasons) {
      expect(failureReasonTexts[reason].en.length).toBeGreaterThan(10);
      expect(failureReasonTexts[reason].ptBR.length).toBeGreaterThan(10);
    }
  });
});

describe("graphApiErrorFrom", () => {
  it("keeps Meta's code, subcode, trace id and details, never the access token", () => {
    const token = "EAAsecretTokenValue123";
    const error = graphApiErrorFrom(
      401,
      {
        error: {
          message: "Error validating access token",
          code: 190,
          error_subcode: 460,
          error_data: { details: `token ${token} was revoked` },
          fbtrace_id: "AbC123",
        },
      },
      "Graph POST /1/messages",
      token,
    );
    expect(error).toMatchObject({
      status: 401,
      code: 190,
      subcode: 460,
      fbtraceId: "AbC123",
      reason: "token_invalid",
      retryable: false,
    });
    expect(error.message).toContain("code 190/460");
    expect(error.message).not.toContain(token);
  });

  it("answers unknown for a body that is not Meta's", () => {
    expect(graphApiErrorFrom(418, "<html>", "Graph GET /x")).toMatchObject({
      reason: "unknown",
      retryable: false,
    });
  });
});
