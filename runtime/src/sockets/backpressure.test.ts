import { describe, expect, it } from "vitest";
import { exceedsWriteBuffer } from "./backpressure.js";

const limits = { packets: 3, bytes: 100 };

describe("exceedsWriteBuffer", () => {
  it("lets a socket with a short backlog be", () => {
    expect(exceedsWriteBuffer([], limits)).toBe(false);
    expect(exceedsWriteBuffer([{ data: "x".repeat(40) }, { data: "y".repeat(60) }], limits)).toBe(
      false,
    );
  });

  it("drops a socket with more packets waiting than allowed, however small", () => {
    expect(exceedsWriteBuffer([{}, {}, {}, {}], limits)).toBe(true);
  });

  it("drops a socket with more bytes waiting than allowed, text or binary", () => {
    expect(exceedsWriteBuffer([{ data: "x".repeat(101) }], limits)).toBe(true);
    expect(
      exceedsWriteBuffer([{ data: "x".repeat(60) }, { data: new Uint8Array(41) }], limits),
    ).toBe(true);
  });
});
