import { currentLocale } from "../../messages.js";

const texts = {
  "pt-BR": {
    heading: "Notas privadas",
    badge: "Privado",
    hint: "Só a equipe vê. Nunca são enviadas ao cliente.",
    empty: "Nenhuma nota ainda.",
    newNote: "Nova nota privada",
    add: "Adicionar nota",
    adding: "Adicionando…",
    deletedAuthor: "Usuário removido",
    loadFailed: "Não foi possível carregar as notas.",
    addFailed: "Não foi possível adicionar a nota.",
    tooLong: "A nota pode ter no máximo 4000 caracteres.",
  },
  en: {
    heading: "Private notes",
    badge: "Private",
    hint: "Only the team sees them. Never sent to the customer.",
    empty: "No notes yet.",
    newNote: "New private note",
    add: "Add note",
    adding: "Adding…",
    deletedAuthor: "Deleted user",
    loadFailed: "The notes could not be loaded.",
    addFailed: "The note could not be added.",
    tooLong: "A note may have at most 4000 characters.",
  },
} as const;

/** The notes' texts in the interface language. */
export const conversationNotesText = () => texts[currentLocale()];
