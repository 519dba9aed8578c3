import { describe, expect, it } from "vitest";
import { deliveryTicks, errorMessage } from "./messages.js";

describe("deliveryTicks", () => {
  it("names the ticks in the interface language", () => {
    expect(deliveryTicks("delivered", "pt-BR")).toEqual({ ticks: "✓✓", label: "Entregue" });
    expect(deliveryTicks("delivered", "en")).toEqual({ ticks: "✓✓", label: "Delivered" });
    expect(deliveryTicks("played", "en").label).toBe("Read");
    expect(deliveryTicks("failed", "en")).toEqual({ ticks: "⚠", label: "Failed" });
    expect(deliveryTicks(null, "en")).toEqual({ ticks: "", label: "" });
  });
});

describe("errorMessage", () => {
  it("explains a withdrawn consent in both languages", () => {
    expect(errorMessage("consent_revoked", "pt-BR")).toMatch(/retirou o consentimento/);
    expect(errorMessage("consent_revoked", "en")).toMatch(/withdrew consent/);
  });

  it("has a text for a conflict, and a generic one for an id without its own", () => {
    expect(errorMessage("conflict", "en")).toMatch(/already exists/);
    expect(errorMessage("conflict", "pt-BR")).toMatch(/já existe/);
    expect(errorMessage("not_found", "en")).toBe("Something went wrong. Try again.");
  });
});
