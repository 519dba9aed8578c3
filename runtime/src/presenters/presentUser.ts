import type { UserPayload } from "../../contracts/api.js";
import type { User } from "../models/User.js";

/** The only way a user leaves the API: no password hash, no internal timestamps. */
export function presentUser(user: User): UserPayload {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    mustChangePassword: user.mustChangePassword,
  };
}
