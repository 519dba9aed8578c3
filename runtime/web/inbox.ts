import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../contracts/socket-events.js";
import { ApiError, deleteSession, fetchMe } from "./api/client.js";
import "./components/at-inbox-shell/at-inbox-shell.js";
import "./components/at-login-form/at-login-form.js";

/**
 * The page script behind the one HTML shell: `/login` shows the sign-in form, `/` the inbox.
 * The server already redirects by session; this handles sessions that end while a page is open.
 */

function showLogin(root: HTMLElement): void {
  document.title = "Entrar · atende";
  const form = document.createElement("at-login-form");
  form.addEventListener("at-login-success", () => window.location.assign("/"));
  root.replaceChildren(form);
}

async function showInbox(root: HTMLElement): Promise<void> {
  document.title = "Conversas · atende";
  let user: Awaited<ReturnType<typeof fetchMe>>;
  try {
    user = await fetchMe();
  } catch (error) {
    if (error instanceof ApiError && error.id === "authentication_required") {
      window.location.replace("/login");
      return;
    }
    throw error;
  }

  const shell = document.createElement("at-inbox-shell");
  shell.user = user;
  root.replaceChildren(shell);

  // Same origin, session cookie sent automatically; the server authenticates the handshake.
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io();
  socket.on("connect", () => {
    shell.connection = "connected";
  });
  socket.on("disconnect", (reason) => {
    shell.connection = "disconnected";
    // The server disconnects a session's sockets when it ends (e.g. signed out in another tab).
    if (reason === "io server disconnect") window.location.replace("/login");
  });
  socket.on("connect_error", (error) => {
    shell.connection = "disconnected";
    if (error.message === "unauthorized") window.location.replace("/login");
  });

  shell.addEventListener("at-logout-request", async () => {
    socket.disconnect();
    try {
      await deleteSession();
    } finally {
      window.location.assign("/login");
    }
  });
}

const root = document.getElementById("app");
if (root !== null) {
  if (window.location.pathname === "/login") showLogin(root);
  else void showInbox(root);
}
