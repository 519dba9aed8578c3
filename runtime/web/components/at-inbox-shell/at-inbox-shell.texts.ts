import { currentLocale } from "../../messages.js";

const texts = {
  "pt-BR": {
    connection: { connecting: "Conectando…", connected: "Conectado", disconnected: "Sem conexão" },
    whatsappSettings: "Configurações do WhatsApp",
    users: "Usuários",
    queues: "Filas",
    audit: "Atividades",
    reports: "Relatórios",
    roles: "Papéis",
    logout: "Sair",
    alerts: "Avisos",
    heading: "Conversas",
    agentsOnline: (count: number) =>
      count === 1 ? "1 atendente online" : `${count} atendentes online`,
    typing: (names: string[]) =>
      names.length === 1
        ? `${names[0]} está digitando…`
        : `${names.slice(0, -1).join(", ")} e ${names.at(-1)} estão digitando…`,
    taken: (name: string) => `${name} já assumiu esta conversa.`,
    changedMeanwhile: "A conversa mudou enquanto você decidia. Veja como ela está agora.",
    transferredAway: (name: string) => `A conversa foi transferida para ${name}.`,
    takenBy: (name: string) => `${name} assumiu esta conversa.`,
    noLongerVisible: "Você não tem mais acesso a esta conversa.",
    forbidden: "Você não pode fazer isso nesta conversa.",
    notFound: "Conversa não encontrada.",
    invalid: "Confira o que foi digitado.",
    newMessageFrom: (name: string) => `Nova mensagem de ${name}`,
    contact: "Contato",
    pickConversation: "Escolha uma conversa na lista.",
  },
  en: {
    connection: { connecting: "Connecting…", connected: "Connected", disconnected: "Offline" },
    whatsappSettings: "WhatsApp settings",
    users: "Users",
    queues: "Queues",
    audit: "Activity",
    reports: "Reports",
    roles: "Roles",
    logout: "Sign out",
    alerts: "Alerts",
    heading: "Conversations",
    agentsOnline: (count: number) => (count === 1 ? "1 agent online" : `${count} agents online`),
    typing: (names: string[]) =>
      names.length === 1
        ? `${names[0]} is typing…`
        : `${names.slice(0, -1).join(", ")} and ${names.at(-1)} are typing…`,
    taken: (name: string) => `${name} already took this conversation.`,
    changedMeanwhile: "The conversation changed while you were deciding. This is how it is now.",
    transferredAway: (name: string) => `The conversation was transferred to ${name}.`,
    takenBy: (name: string) => `${name} took this conversation.`,
    noLongerVisible: "You no longer have access to this conversation.",
    forbidden: "You cannot do that in this conversation.",
    notFound: "Conversation not found.",
    invalid: "Check what was typed.",
    newMessageFrom: (name: string) => `New message from ${name}`,
    contact: "Contact",
    pickConversation: "Pick a conversation from the list.",
  },
} as const;

/** The inbox shell's texts in the interface language. */
export const inboxShellText = () => texts[currentLocale()];
