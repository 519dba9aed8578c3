import { describe, expect, it } from "vitest";
import { phoneNumbersSearched } from "./conversationReader.js";

describe("phoneNumbersSearched", () => {
  it("reads a whole number typed in any usual way, adding Brazil's code to local numbers", () => {
    expect(phoneNumbersSearched("5511988887777")).toEqual(["5511988887777"]);
    expect(phoneNumbersSearched("+55 (11) 98888-7777")).toEqual(["5511988887777"]);
    expect(phoneNumbersSearched("(11) 98888-7777")).toEqual(["11988887777", "5511988887777"]);
    expect(phoneNumbersSearched("11 3333-4444")).toEqual(["1133334444", "551133334444"]);
  });

  it("is no number search for fragments, words or mixed text", () => {
    expect(phoneNumbersSearched("8888-777")).toEqual([]);
    expect(phoneNumbersSearched("Maria")).toEqual([]);
    expect(phoneNumbersSearched("pedido 12345678")).toEqual([]);
    expect(phoneNumbersSearched("")).toEqual([]);
  });
});
