import { currentLocale } from "../../messages.js";

const texts = {
  "pt-BR": {
    legend: "Avisos de novas mensagens",
    sound: "Som",
    browser: "Notificações do navegador",
    denied:
      "O navegador bloqueou as notificações deste site. Libere nas configurações do navegador.",
    unsupported: "Este navegador não mostra notificações.",
  },
  en: {
    legend: "New message alerts",
    sound: "Sound",
    browser: "Browser notifications",
    denied:
      "The browser blocked notifications for this site. Allow them in the browser's settings.",
    unsupported: "This browser does not show notifications.",
  },
} as const;

/** The notification settings' texts in the interface language. */
export const notificationSettingsText = () => texts[currentLocale()];
