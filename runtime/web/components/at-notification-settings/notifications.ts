/**
 * How the inbox tells an agent about new messages: a short chime (made with WebAudio, so there
 * is no sound file to ship) and the browser's notifications. The agent's choices live in this
 * browser's localStorage.
 */

/** The agent's choices. */
export interface NotificationPreferences {
  sound: boolean;
  browser: boolean;
}

const KEY = "atende.notifications";
const defaults: NotificationPreferences = { sound: true, browser: false };

/** The agent's choices in this browser (sound on and browser notifications off by default). */
export function notificationPreferences(): NotificationPreferences {
  try {
    const stored = JSON.parse(globalThis.localStorage?.getItem(KEY) ?? "null") as unknown;
    if (typeof stored !== "object" || stored === null) return { ...defaults };
    const { sound, browser } = stored as Record<string, unknown>;
    return {
      sound: typeof sound === "boolean" ? sound : defaults.sound,
      browser: typeof browser === "boolean" ? browser : defaults.browser,
    };
  } catch {
    return { ...defaults };
  }
}

/** Remembers the agent's choices in this browser. */
export function saveNotificationPreferences(preferences: NotificationPreferences): void {
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify(preferences));
  } catch {
    // Private windows may refuse storage; the choice then lasts until the page closes.
  }
}

let audio: AudioContext | undefined;
let lastChime = 0;

/** Plays a short two-note chime, at most once a second (a burst of messages is one sound). */
export function playChime(): void {
  const now = Date.now();
  if (now - lastChime < 1_000) return;
  lastChime = now;
  try {
    audio ??= new AudioContext();
    const start = audio.currentTime;
    for (const [offset, frequency] of [
      [0, 880],
      [0.12, 1_320],
    ] as const) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.25);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.3);
    }
  } catch {
    // No audio device, or the browser blocks sound before any interaction: stay silent.
  }
}

/**
 * Shows a browser notification when the agent allowed them, here and in the browser. The body is
 * plain text (the Notification API never renders markup). Clicking it focuses the page and calls
 * `onClick`.
 */
export function showBrowserNotification(title: string, body: string, onClick?: () => void): void {
  if (typeof Notification === "undefined" || Notification.permission !== "granted") return;
  try {
    const notification = new Notification(title, { body: body.slice(0, 200), tag: title });
    notification.onclick = () => {
      window.focus();
      onClick?.();
      notification.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker; the chime still plays.
  }
}
