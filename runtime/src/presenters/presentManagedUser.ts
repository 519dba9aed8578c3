import type { ManagedUserPayload } from "../../contracts/accounts.js";
import type { LoginThrottle } from "../auth/loginThrottle.js";
import type { User } from "../models/User.js";
import { presentUser } from "./presentUser.js";

/** A user as administrators see them: with account state, never the password hash. */
export async function presentManagedUser(
  user: User,
  throttle: LoginThrottle,
): Promise<ManagedUserPayload> {
  return {
    ...presentUser(user),
    disabled: !user.isActive,
    totpEnabled: user.hasTotp,
    locked: await throttle.isLocked(user.email),
    createdAt: new Date(user.createdAt).toISOString(),
  };
}
