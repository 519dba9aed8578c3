import { z } from "zod";

/** What a user may do in a tenant; ordered from most to least powerful. */
export const userRoles = ["admin", "manager", "agent"] as const;

/** A user's role. */
export type UserRole = (typeof userRoles)[number];

/** An e-mail address as the runtime stores it: trimmed and lower-cased. */
export const EmailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email());

/** Body of `POST /api/session`. */
export const SessionCreateSchema = z.object({
  email: EmailSchema,
  // Upper bound keeps a hostile client from making scrypt hash megabytes.
  password: z.string().min(1).max(1024),
});

/** Parsed body of `POST /api/session`. */
export type SessionCreateRequest = z.infer<typeof SessionCreateSchema>;

/** A user as the API shows it (never the password hash). */
export interface UserPayload {
  id: number;
  email: string;
  name: string;
  role: UserRole;
  /** True after an administrator or `create-admin` set a one-time password. */
  mustChangePassword: boolean;
}

/** The one JSON shape every successful API request answers with. */
export interface ApiSuccess<T> {
  ok: true;
  data: T;
}
