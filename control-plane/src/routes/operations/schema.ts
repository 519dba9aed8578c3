import { z } from "zod";

/** `GET /api/operations/:id`. */
export const OperationParamsSchema = { params: z.object({ id: z.uuid() }) };
