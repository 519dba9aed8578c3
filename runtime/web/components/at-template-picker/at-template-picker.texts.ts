import { currentLocale } from "../../messages.js";

const texts = {
  "pt-BR": {
    legend: "Enviar um modelo aprovado",
    template: "Modelo",
    choose: "Escolha um modelo…",
    none: "Nenhum modelo aprovado. Peça a um administrador para criar ou sincronizar modelos.",
    mediaHeader: "cabeçalho de mídia, ainda não suportado aqui",
    headerVariable: (name: string) => `Variável {{${name}}} do cabeçalho`,
    bodyVariable: (name: string) => `Variável {{${name}}} do corpo`,
    buttonVariable: (index: number, name: string) =>
      `Variável {{${name}}} do link do botão ${index + 1}`,
    preview: "Prévia",
    required: "Preencha todas as variáveis para enviar.",
    send: "Enviar modelo",
    sending: "Enviando…",
    sent: (name: string) => `Modelo ${name} enviado.`,
    loadFailed: "Não foi possível carregar os modelos.",
    sendFailed: (reason: string) => `O modelo não foi enviado: ${reason}`,
  },
  en: {
    legend: "Send an approved template",
    template: "Template",
    choose: "Choose a template…",
    none: "No approved template. Ask an administrator to create or sync templates.",
    mediaHeader: "media header, not supported here yet",
    headerVariable: (name: string) => `Header variable {{${name}}}`,
    bodyVariable: (name: string) => `Body variable {{${name}}}`,
    buttonVariable: (index: number, name: string) =>
      `Variable {{${name}}} of button ${index + 1}'s link`,
    preview: "Preview",
    required: "Fill in every variable to send.",
    send: "Send template",
    sending: "Sending…",
    sent: (name: string) => `Template ${name} sent.`,
    loadFailed: "The templates could not be loaded.",
    sendFailed: (reason: string) => `The template was not sent: ${reason}`,
  },
} as const;

/** Texts of `<at-template-picker>`, in the interface language. */
export function templatePickerText(locale = currentLocale()) {
  return texts[locale];
}
