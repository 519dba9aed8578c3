import { describe, expect, it } from "vitest";
import { readCookie } from "./cookies.js";
import { isSameOrigin } from "./origin.js";

describe("isSameOrigin", () => {
  const publicUrl = "https://acme.atende.com.br";

  it("accepts the public origin and the host the request was sent to", () => {
    expect(isSameOrigin("https://acme.atende.com.br", "internal:3000", publicUrl)).toBe(true);
    expect(isSameOrigin("http://127.0.0.1:3000", "127.0.0.1:3000", publicUrl)).toBe(true);
  });

  it("rejects other sites, lookalikes and opaque origins", () => {
    expect(isSameOrigin("https://evil.example", "acme.atende.com.br", publicUrl)).toBe(false);
    expect(isSameOrigin("https://acme.atende.com.br.evil.example", "x", publicUrl)).toBe(false);
    expect(isSameOrigin("http://acme.atende.com.br:8080", "acme.atende.com.br", publicUrl)).toBe(
      false,
    );
    expect(isSameOrigin("null", "acme.atende.com.br", publicUrl)).toBe(false);
  });
});

describe("readCookie", () => {
  it("finds one cookie among several", () => {
    expect(readCookie("a=1; atende_session=abc_-; b=2", "atende_session")).toBe("abc_-");
    expect(readCookie("xatende_session=1", "atende_session")).toBeUndefined();
    expect(readCookie(undefined, "atende_session")).toBeUndefined();
  });
});
