import type { RequestHandler } from "express";
import type { z } from "zod";
import { validationError } from "../errors.js";

/**
 * Validates `req.body` (or the route parameters) against a zod schema and replaces the body with
 * the parsed value, so handlers receive trimmed, typed input. The first issue becomes a 400 `validation_error` naming the
 * field (never echoing its value, which may be a password).
 */
export function validate(schema: z.ZodType, part: "body" | "params" = "body"): RequestHandler {
  return (req, _res, next) => {
    const result = schema.safeParse((part === "body" ? req.body : req.params) ?? {});
    if (result.success) {
      // Route parameters stay strings (Express types them so); handlers convert after this.
      if (part === "body") req.body = result.data;
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

/**
 * Parses `req.query` against a zod schema (Express 5's `req.query` cannot be replaced, so the
 * parsed value is returned); the first issue becomes a 400 naming the parameter.
 */
export function parseQuery<T>(schema: z.ZodType<T>, req: { query: unknown }): T {
  const result = schema.safeParse(req.query ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join(".") || "query";
  throw validationError(`Invalid ${field}: ${issue?.message}`, { field });
}
