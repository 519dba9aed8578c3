import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import { type AccountActor, type AccountDeps, endUserSessions } from "./accountActor.js";

/**
 * "Log out everywhere": ends every session of the signed-in user, this one included, and
 * closes their sockets.
 * @returns how many sessions ended
 */
export async function userSessionsEnder(
  props: AccountDeps & { actor: AccountActor },
): Promise<number> {
  const ended = await endUserSessions(props, props.actor.userId);
  await ActivityLogEntry.record(props.db, {
    action: "sessions.deleteAll",
    actor: props.actor,
    data: { ended },
  });
  return ended;
}
