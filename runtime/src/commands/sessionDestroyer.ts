import type { Knex } from "knex";
import type { SessionStore } from "../auth/sessionStore.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";

/** Input of `sessionDestroyer`. */
export interface SessionDestroyerProps {
  db: Knex;
  sessions: SessionStore;
  userId: number;
  /** sha256 of the session id. */
  sessionKey: string;
  ip: string | undefined;
  userAgent: string | undefined;
  /** Disconnects the session's live sockets, so logging out also ends real-time access. */
  disconnectSockets: (sessionKey: string) => void;
}

/** Signs a user out: ends the session, closes its sockets and records `sessions.delete`. */
export async function sessionDestroyer(props: SessionDestroyerProps): Promise<void> {
  await props.sessions.destroy(props.sessionKey);
  props.disconnectSockets(props.sessionKey);
  await ActivityLogEntry.record(props.db, {
    action: "sessions.delete",
    actorUserId: props.userId,
    ip: props.ip,
    userAgent: props.userAgent,
  });
}
