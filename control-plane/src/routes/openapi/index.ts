import { Router } from "express";
import { buildOpenApiDocument } from "./document.js";

/** `GET /api/openapi.json`, public like any API description. */
export function openapiRouter(): Router {
  const router = Router();
  const document = buildOpenApiDocument();
  router.get("/api/openapi.json", (_req, res) => {
    res.json(document);
  });
  return router;
}
