import type { Knex } from "knex";
import type { LoginThrottle } from "../auth/loginThrottle.js";
import { notFound } from "../errors.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import { User } from "../models/User.js";
import type { AccountActor } from "./accountActor.js";

/** An admin lifts a user's sign-in lockout before it ends by itself. */
export async function loginUnlocker(props: {
  db: Knex;
  throttle: LoginThrottle;
  actor: AccountActor;
  userId: number;
}): Promise<User> {
  const user = await User.query(props.db).findById(props.userId);
  if (user === undefined) throw notFound("user");
  await props.throttle.unlock(user.email);
  await ActivityLogEntry.record(props.db, {
    action: "users.unlock",
    actor: props.actor,
    data: { userId: user.id },
  });
  return user;
}
