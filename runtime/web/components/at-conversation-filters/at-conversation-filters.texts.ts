import type { ConversationStatus } from "../../../contracts/conversations.js";
import { currentLocale } from "../../messages.js";

const texts = {
  "pt-BR": {
    views: "Quais conversas",
    mine: "Minhas",
    unassigned: "Não atribuídas",
    all: "Todas",
    status: "Situação",
    anyStatus: "Todas as situações",
    search: "Buscar por nome, número ou texto",
    statuses: { open: "Abertas", pending: "Pendentes", resolved: "Resolvidas" },
  },
  en: {
    views: "Which conversations",
    mine: "Mine",
    unassigned: "Unassigned",
    all: "All",
    status: "Status",
    anyStatus: "Any status",
    search: "Search by name, number or text",
    statuses: { open: "Open", pending: "Pending", resolved: "Resolved" },
  },
} as const satisfies Record<
  string,
  { statuses: Record<ConversationStatus, string>; [key: string]: unknown }
>;

/** The filter bar's texts in the interface language. */
export const conversationFiltersText = () => texts[currentLocale()];
