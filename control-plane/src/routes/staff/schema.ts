import { z } from "zod";

/** `POST /api/staff`: create a staff account (owners only). */
export const StaffCreateSchema = {
  body: z
    .object({
      email: z.email().max(254),
      role: z.enum(["viewer", "operator", "owner"]),
    })
    .strict(),
};

/** `POST /api/staff/:email/disable|enable`. */
export const StaffParamsSchema = { params: z.object({ email: z.email().max(254) }) };
