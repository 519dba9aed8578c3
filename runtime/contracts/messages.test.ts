import { describe, expect, it } from "vitest";
import { type DeliveryStatus, statusMovesForward } from "./messages.js";

describe("statusMovesForward", () => {
  it("lets the inbox apply an announcement only if it is not a step back", () => {
    expect(statusMovesForward(null, "queued")).toBe(true);
    expect(statusMovesForward("queued", "sending")).toBe(true);
    expect(statusMovesForward("sending", "accepted")).toBe(true);
    expect(statusMovesForward("accepted", "accepted")).toBe(true);
    expect(statusMovesForward("read", "delivered")).toBe(false);
    expect(statusMovesForward("delivered", "sent")).toBe(false);
    expect(statusMovesForward("read", "failed")).toBe(false);
    expect(statusMovesForward("sent", "failed")).toBe(true);
    // Several devices: one can still deliver after another reported a failure.
    expect(statusMovesForward("failed", "delivered")).toBe(true);
  });

  it("ends on the furthest step whatever order the announcements come in", () => {
    const reported: DeliveryStatus[] = ["sending", "accepted", "sent", "read", "delivered"];
    let shown: DeliveryStatus | null = null;
    for (const step of reported) if (statusMovesForward(shown, step)) shown = step;
    expect(shown).toBe("read");
  });
});
