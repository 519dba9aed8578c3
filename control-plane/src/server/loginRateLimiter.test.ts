import { describe, expect, it } from "vitest";
import { LoginRateLimiter } from "./loginRateLimiter.js";

describe("LoginRateLimiter", () => {
  it("blocks an address after its failures, per address, until a success clears it", () => {
    const limiter = new LoginRateLimiter(2, 60_000);
    limiter.fail("10.0.0.1");
    limiter.check("10.0.0.1");
    limiter.fail("10.0.0.1");
    expect(() => limiter.check("10.0.0.1")).toThrow(
      expect.objectContaining({ id: "rate_limited" }),
    );
    limiter.check("10.0.0.2");
    limiter.succeed("10.0.0.1");
    limiter.check("10.0.0.1");
  });
});
