import { z } from "zod";

/** `POST /api/session`: sign in. */
export const SessionCreateSchema = {
  body: z.object({
    email: z.string().trim().min(3).max(254),
    password: z.string().min(1).max(1024),
  }),
};
