import { currentLocale } from "../../messages.js";

const texts = {
  "pt-BR": {
    placeholder: "Escolha uma conversa",
    region: (name: string) => `Conversa com ${name}`,
    contact: "Contato",
    loadOlder: "Carregar mensagens anteriores",
    loadingOlder: "Carregando mensagens anteriores…",
    start: "Início da conversa",
    olderFailed: "Não foi possível carregar as mensagens anteriores.",
    newMessages: (count: number) =>
      count === 1 ? "1 nova mensagem ↓" : `${count} novas mensagens ↓`,
  },
  en: {
    placeholder: "Choose a conversation",
    region: (name: string) => `Conversation with ${name}`,
    contact: "Contact",
    loadOlder: "Load earlier messages",
    loadingOlder: "Loading earlier messages…",
    start: "Start of the conversation",
    olderFailed: "Earlier messages could not be loaded.",
    newMessages: (count: number) => (count === 1 ? "1 new message ↓" : `${count} new messages ↓`),
  },
} as const;

/** Texts of `<at-message-thread>`, in the interface language. */
export function messageThreadText(locale = currentLocale()) {
  return texts[locale];
}
