import type { ConsentRecordPayload, ConsentStatus } from "../../../contracts/contacts.js";
import { currentLocale } from "../../messages.js";

const texts = {
  "pt-BR": {
    heading: "Contato",
    name: "Nome",
    number: "Número",
    noName: "Sem nome",
    tags: "Etiquetas",
    noTags: "Nenhuma etiqueta.",
    newTag: "Nova etiqueta",
    addTag: "Adicionar etiqueta",
    removeTag: (tag: string) => `Remover etiqueta ${tag}`,
    invalidTag: "Use até 40 letras, números, espaços, - ou _.",
    tooManyTags: "No máximo 30 etiquetas.",
    consent: "Consentimento (LGPD)",
    consentSince: (when: string) => `desde ${when}`,
    history: "Histórico de consentimento",
    noHistory: "Nenhum registro.",
    consentStatuses: {
      unknown: "Não perguntado",
      asked: "Perguntado, sem resposta",
      granted: "Concedido",
      revoked: "Revogado",
    },
    sources: {
      button: "botão no WhatsApp",
      keyword: "palavra-chave",
      agent: "registrado pela equipe",
      system: "automático",
    },
    conversations: (count: number) => (count === 1 ? "1 conversa" : `${count} conversas`),
    loadFailed: "Não foi possível carregar o contato.",
    saveFailed: "Não foi possível salvar as etiquetas.",
    saved: "Etiquetas salvas.",
  },
  en: {
    heading: "Contact",
    name: "Name",
    number: "Number",
    noName: "No name",
    tags: "Tags",
    noTags: "No tags.",
    newTag: "New tag",
    addTag: "Add tag",
    removeTag: (tag: string) => `Remove tag ${tag}`,
    invalidTag: "Use up to 40 letters, digits, spaces, - or _.",
    tooManyTags: "At most 30 tags.",
    consent: "Consent (LGPD)",
    consentSince: (when: string) => `since ${when}`,
    history: "Consent history",
    noHistory: "No records.",
    consentStatuses: {
      unknown: "Not asked",
      asked: "Asked, no answer",
      granted: "Granted",
      revoked: "Revoked",
    },
    sources: {
      button: "WhatsApp button",
      keyword: "keyword",
      agent: "recorded by the team",
      system: "automatic",
    },
    conversations: (count: number) => (count === 1 ? "1 conversation" : `${count} conversations`),
    loadFailed: "The contact could not be loaded.",
    saveFailed: "The tags could not be saved.",
    saved: "Tags saved.",
  },
} as const satisfies Record<
  string,
  {
    consentStatuses: Record<ConsentStatus, string>;
    sources: Record<ConsentRecordPayload["source"], string>;
    [key: string]: unknown;
  }
>;

/** The contact panel's texts in the interface language. */
export const contactPanelText = () => texts[currentLocale()];
