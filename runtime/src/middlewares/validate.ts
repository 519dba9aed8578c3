import type { RequestHandler } from "express";
import type { z } from "zod";
import { validationError } from "../errors.js";

/**
 * Validates `req.body` against a zod schema and replaces it with the parsed value, so handlers
 * receive trimmed, typed input. The first issue becomes a 400 `validation_error` naming the
 * field (never echoing its value, which may be a password).
 */
export function validate(schema: z.ZodType): RequestHandler {
  return (req, _res, next) => {
    const result = schema.safeParse(req.body ?? {});
    if (result.success) {
      req.body = result.data;
      return next();
    }
    const issue = result.error.issues[0];
    const field = issue?.path.join(".") ?? "";
    next(
      validationError(
        field === ""
          ? `Invalid request body: ${issue?.message}`
          : `Invalid ${field}: ${issue?.message}`,
        { field },
      ),
    );
  };
}
