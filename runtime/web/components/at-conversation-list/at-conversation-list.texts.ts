import type { ConversationStatus } from "../../../contracts/conversations.js";
import { currentLocale } from "../../messages.js";

const texts = {
  "pt-BR": {
    label: "Conversas",
    empty: "Nenhuma conversa ainda",
    emptyFiltered: "Nenhuma conversa com esses filtros",
    contact: "Contato",
    unread: (count: number) => `${count} não lidas`,
    assignedTo: (name: string) => `Com ${name}`,
    you: "Com você",
    unassigned: "Na fila",
    loadMore: "Carregar mais conversas",
    loading: "Carregando…",
    statuses: { open: "Aberta", pending: "Pendente", resolved: "Resolvida" },
  },
  en: {
    label: "Conversations",
    empty: "No conversations yet",
    emptyFiltered: "No conversations match these filters",
    contact: "Contact",
    unread: (count: number) => `${count} unread`,
    assignedTo: (name: string) => `With ${name}`,
    you: "With you",
    unassigned: "In the queue",
    loadMore: "Load more conversations",
    loading: "Loading…",
    statuses: { open: "Open", pending: "Pending", resolved: "Resolved" },
  },
} as const satisfies Record<
  string,
  { statuses: Record<ConversationStatus, string>; [key: string]: unknown }
>;

/** The conversation list's texts in the interface language. */
export const conversationListText = () => texts[currentLocale()];
