import { describe, expect, it } from "vitest";
import { AppError } from "../errors.js";
import { assertAcceptablePassword, unmetPasswordRules } from "./passwordPolicy.js";

const email = "mariana.souza@example.com";

describe("password rules", () => {
  it("accepts a long passphrase", () => {
    expect(unmetPasswordRules("cavalo correto bateria grampo", { email })).toEqual([]);
    expect(() =>
      assertAcceptablePassword("cavalo correto bateria grampo", { email }),
    ).not.toThrow();
  });

  it.each([
    ["curta", ["min_length"]],
    ["x".repeat(257), ["max_length", "not_repetitive"]],
    ["linha\nquebrada!!", ["no_control_characters"]],
    ["MARIANA.SOUZA-2026", ["not_email"]],
    ["abababababababab", ["not_repetitive"]],
    ["senha1234567", ["not_common"]],
    ["aaa", ["min_length", "not_repetitive"]],
  ])("finds every rule %j breaks", (password, rules) => {
    expect(unmetPasswordRules(password, { email })).toEqual(rules);
  });

  it("throws weak_password with the unmet rule ids and an English message", () => {
    let thrown: unknown;
    try {
      assertAcceptablePassword("aaa", { email });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    const error = thrown as AppError;
    expect([error.id, error.status]).toEqual(["weak_password", 422]);
    expect(error.data).toEqual({ rules: ["min_length", "not_repetitive"] });
    expect(error.message).toBe(
      "The new password is not accepted: it must have at least 12 characters; it must not repeat one or two characters.",
    );
  });
});
