import type { RequestHandler, Response } from "express";
import type { z } from "zod";
import { validationError } from "../apiErrors.js";

/** The parts of a request a route validates. */
export interface RequestSchemas {
  body?: z.ZodType;
  params?: z.ZodType;
  query?: z.ZodType;
}

type Parsed<S extends RequestSchemas> = {
  [K in keyof S]: S[K] extends z.ZodType ? z.infer<S[K]> : never;
};

/**
 * Validates body, params and query with zod; the parsed values are kept in `res.locals.input`
 * (read them with `inputOf`). The first issue becomes a 400 `validation_error` naming the field,
 * never echoing its value (it may be a password).
 */
export function validate(schemas: RequestSchemas): RequestHandler {
  return (req, res, next) => {
    const input: Record<string, unknown> = {};
    for (const part of ["params", "query", "body"] as const) {
      const schema = schemas[part];
      if (schema === undefined) continue;
      const result = schema.safeParse(req[part] ?? {});
      if (!result.success) {
        const issue = result.error.issues[0];
        const field = [part === "body" ? "" : part, ...(issue?.path ?? [])]
          .filter((segment) => segment !== "")
          .join(".");
        return next(
          validationError(
            field === ""
              ? `Invalid request body: ${issue?.message}.`
              : `Invalid ${field}: ${issue?.message}.`,
          ),
        );
      }
      input[part] = result.data;
    }
    res.locals.input = input;
    next();
  };
}

/** The validated input of this request, typed by the route's schemas. */
export function inputOf<S extends RequestSchemas>(res: Response, _schemas: S): Parsed<S> {
  return res.locals.input as Parsed<S>;
}
