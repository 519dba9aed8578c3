import { z } from "zod";

/**
 * A free text of several lines (a note, a quick reply): trimmed, 1–`max` characters, line breaks
 * allowed and no other control character (they hide text and break CSV and logs).
 */
export function multilineText(max: number) {
  return z
    .string()
    .trim()
    .min(1, "is required")
    .max(max, `must be at most ${max} characters`)
    .refine(
      (value) => !/\p{Cc}/u.test(value.replaceAll("\n", "")),
      "must not contain control characters",
    );
}
