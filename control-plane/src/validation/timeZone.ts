import { z } from "zod";

/** An IANA time zone name the runtime's Intl knows (`America/Sao_Paulo`, `UTC`). */
export const ianaTimeZone = z
  .string()
  .trim()
  .refine((value) => {
    if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return false;
    try {
      new Intl.DateTimeFormat("en", { timeZone: value });
      return true;
    } catch {
      return false;
    }
  }, "must be an IANA time zone name, e.g. America/Sao_Paulo");
