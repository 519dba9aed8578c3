import { describe, expect, it } from "vitest";
import { baseMimeType, extensionFor, mediaRefusal } from "./mediaLimits.js";

describe("media limits (protocols.md A5)", () => {
  it("accepts each kind's types up to its size", () => {
    expect(mediaRefusal("image", "image/jpeg", 5 * 1024 * 1024)).toBeUndefined();
    expect(mediaRefusal("audio", "audio/ogg; codecs=opus", 1_000)).toBeUndefined();
    expect(mediaRefusal("document", "application/pdf", undefined)).toBeUndefined();
    expect(mediaRefusal("sticker", "image/webp", 500 * 1024)).toBeUndefined();
  });

  it("refuses other types and larger files, saying why", () => {
    expect(mediaRefusal("image", "image/gif", 10)).toBe("type image/gif is not accepted for image");
    expect(mediaRefusal("document", "application/x-msdownload", 10)).toMatch(/not accepted/);
    expect(mediaRefusal("video", "video/mp4", 16 * 1024 * 1024 + 1)).toBe(
      "video of 16777217 bytes exceeds the 16777216-byte limit",
    );
    expect(mediaRefusal("image", "", 10)).toBe("type unknown is not accepted for image");
  });

  it("normalises MIME types and picks file extensions", () => {
    expect(baseMimeType("Audio/OGG; codecs=opus")).toBe("audio/ogg");
    expect(extensionFor("audio/ogg; codecs=opus")).toBe("ogg");
    expect(extensionFor("application/vnd.ms-excel")).toBe("xls");
    expect(extensionFor("application/octet-stream")).toBe("bin");
  });
});
