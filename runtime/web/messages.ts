import type { UserRole } from "../contracts/api.js";
import type { ErrorId } from "../contracts/error-ids.js";
import type { DeliveryStatus, MessagePayload } from "../contracts/messages.js";
import type { TemplateCategory, TemplateFieldError, TemplateRule } from "../contracts/templates.js";

/** Interface text is Brazilian Portuguese; this is the one place it lives outside templates. */
const errorMessages: Partial<Record<ErrorId | "network_error", string>> = {
  invalid_credentials: "E-mail ou senha incorretos.",
  login_locked:
    "Muitas tentativas sem sucesso. Aguarde alguns minutos ou peça a um administrador para desbloquear.",
  rate_limited: "Muitas tentativas em pouco tempo. Aguarde um minuto e tente de novo.",
  password_change_required: "Escolha uma nova senha para continuar.",
  validation_error: "Confira o e-mail e a senha.",
  authentication_required: "Sua sessão terminou. Entre novamente.",
  service_unavailable: "O serviço está indisponível no momento. Tente de novo em instantes.",
  network_error: "Sem conexão com o servidor. Verifique sua internet.",
  consent_revoked:
    "O cliente retirou o consentimento (LGPD): só é possível responder depois que ele escrever de novo.",
  conflict: "Isso mudou ou já existe. Atualize e tente de novo.",
};

const errorMessagesEn: Partial<Record<ErrorId | "network_error", string>> = {
  invalid_credentials: "Wrong e-mail or password.",
  login_locked: "Too many failed attempts. Wait a few minutes or ask an admin to unlock you.",
  rate_limited: "Too many attempts in a short time. Wait a minute and try again.",
  password_change_required: "Choose a new password to continue.",
  validation_error: "Check the e-mail and the password.",
  authentication_required: "Your session ended. Sign in again.",
  service_unavailable: "The service is unavailable right now. Try again in a moment.",
  network_error: "No connection to the server. Check your internet.",
  consent_revoked: "The customer withdrew consent (LGPD): you can reply once they write again.",
  conflict: "This changed or already exists. Refresh and try again.",
};

/** A message for the user about a failed request. */
export function errorMessage(
  id: ErrorId | "network_error",
  locale: Locale = currentLocale(),
): string {
  if (locale === "en") return errorMessagesEn[id] ?? "Something went wrong. Try again.";
  return errorMessages[id] ?? "Algo deu errado. Tente de novo.";
}

/** How a role is named in the interface. */
export const roleLabels: Record<UserRole, string> = {
  admin: "Administrador",
  manager: "Gerente",
  agent: "Atendente",
};

const roleLabelsEn: Record<UserRole, string> = {
  admin: "Admin",
  manager: "Manager",
  agent: "Agent",
};

/** A built-in role's label, or a custom role's key as it is. */
export const roleLabel = (role: string, locale: Locale = currentLocale()): string =>
  Object.hasOwn(roleLabels, role)
    ? (locale === "en" ? roleLabelsEn : roleLabels)[role as UserRole]
    : role;

/** Interface languages: Brazilian Portuguese by default, English available. */
export type Locale = "pt-BR" | "en";

const LOCALE_KEY = "atende.locale";

/**
 * The interface language: `?lang=en` (or `?lang=pt-BR`) picks one and remembers it in this
 * browser; otherwise the remembered one; otherwise Brazilian Portuguese.
 */
export function currentLocale(): Locale {
  const asked = new URLSearchParams(globalThis.location?.search ?? "").get("lang");
  const pick = (value: string | null | undefined): Locale | undefined =>
    value === "en" ? "en" : value === "pt-BR" ? "pt-BR" : undefined;
  const fromQuery = pick(asked);
  try {
    if (fromQuery !== undefined) globalThis.localStorage?.setItem(LOCALE_KEY, fromQuery);
    return fromQuery ?? pick(globalThis.localStorage?.getItem(LOCALE_KEY)) ?? "pt-BR";
  } catch {
    return fromQuery ?? "pt-BR";
  }
}

const whatsappSettingsTexts = {
  "pt-BR": {
    pageTitle: "Configurações do WhatsApp",
    settingsLink: "Configurações do WhatsApp",
    back: "Voltar às conversas",
    connectionHeading: "Conexão com a API do WhatsApp",
    phoneNumberId: "ID do número de telefone",
    wabaId: "ID da conta do WhatsApp Business (WABA)",
    graphApiBaseUrl: "URL base da Graph API",
    graphApiVersion: "Versão da Graph API",
    accessToken: "Token de acesso",
    appSecret: "Chave secreta do app",
    verifyToken: "Token de verificação do webhook",
    secretSaved: (mask: string) => `Salvo, termina em ${mask}. Deixe em branco para manter.`,
    secretMissing: "Ainda não salvo.",
    webhookUrl: "URL de callback do webhook (cole no painel do app na Meta)",
    save: "Salvar",
    saving: "Salvando…",
    saved: "Configurações salvas.",
    test: "Testar conexão",
    testing: "Testando…",
    testOk: (name: string, phone: string) => `Conexão funcionando: ${name} (${phone}).`,
    testFailed: (reason: string) => `A conexão falhou: ${reason}`,
    loadFailed: "Não foi possível carregar as configurações.",
    invalidField: (field: string) => `Confira o campo ${field}.`,
  },
  en: {
    pageTitle: "WhatsApp settings",
    settingsLink: "WhatsApp settings",
    back: "Back to conversations",
    connectionHeading: "WhatsApp Cloud API connection",
    phoneNumberId: "Phone number ID",
    wabaId: "WhatsApp Business Account ID (WABA)",
    graphApiBaseUrl: "Graph API base URL",
    graphApiVersion: "Graph API version",
    accessToken: "Access token",
    appSecret: "App secret",
    verifyToken: "Webhook verify token",
    secretSaved: (mask: string) => `Saved, ends in ${mask}. Leave empty to keep it.`,
    secretMissing: "Not saved yet.",
    webhookUrl: "Webhook callback URL (paste it in Meta's App Dashboard)",
    save: "Save",
    saving: "Saving…",
    saved: "Settings saved.",
    test: "Test connection",
    testing: "Testing…",
    testOk: (name: string, phone: string) => `Connection works: ${name} (${phone}).`,
    testFailed: (reason: string) => `The connection failed: ${reason}`,
    loadFailed: "The settings could not be loaded.",
    invalidField: (field: string) => `Check the field ${field}.`,
  },
} as const;

/** Texts of the WhatsApp settings page, in the interface language. */
export function whatsappSettingsText(locale: Locale = currentLocale()) {
  return whatsappSettingsTexts[locale];
}

/** Why "test connection" failed, by Meta's error code (the API's reason is in English). */
export function connectionFailureText(
  code: number | null,
  fallback: string,
  locale: Locale = currentLocale(),
): string {
  if (locale === "en") return fallback;
  if (code === 190)
    return "o token de acesso é inválido, expirou ou foi revogado. Gere um novo nas configurações da Meta.";
  if (code === 10 || (code !== null && code >= 200 && code <= 299)) {
    return "o token de acesso não tem a permissão whatsapp_business_messaging para este número.";
  }
  if (code === 100) return "a Graph API não conhece este ID de número, ou o token não o enxerga.";
  if (code === 2500) return "a versão da Graph API não é aceita. Use uma atual, por exemplo v24.0.";
  if (fallback.startsWith("Save ")) return "salve primeiro o ID do número e o token de acesso.";
  if (fallback.startsWith("Could not reach"))
    return "não foi possível alcançar a Graph API no endereço configurado.";
  return fallback;
}

const templateTexts = {
  "pt-BR": {
    heading: "Modelos de mensagem",
    sync: "Sincronizar com a Meta",
    syncing: "Sincronizando…",
    synced: (total: number, created: number, updated: number, removed: number) =>
      `Sincronizado: ${total} modelos (${created} novos, ${updated} atualizados, ${removed} removidos).`,
    empty: "Nenhum modelo ainda. Sincronize com a Meta ou crie um.",
    name: "Nome",
    language: "Idioma",
    category: "Categoria",
    status: "Situação",
    reason: "Motivo da rejeição",
    actions: "Ações",
    delete: "Excluir",
    deleteLabel: (name: string, language: string) => `Excluir o modelo ${name} (${language})`,
    confirmDelete: (name: string, language: string) =>
      `Excluir o modelo ${name} (${language})? A Meta não deixa reutilizar o nome por algum tempo.`,
    confirm: "Excluir",
    cancel: "Cancelar",
    deleted: (name: string) => `Modelo ${name} excluído.`,
    newTemplate: "Novo modelo",
    header: "Cabeçalho (opcional)",
    body: "Corpo da mensagem",
    bodyHint: "Use {{1}}, {{2}}… para as variáveis, com texto antes e depois.",
    footer: "Rodapé (opcional)",
    example: (n: number) => `Exemplo para {{${n}}}`,
    headerExample: "Exemplo para {{1}} do cabeçalho",
    buttons: "Botões",
    buttonKinds: { QUICK_REPLY: "Resposta rápida", URL: "Link", PHONE_NUMBER: "Telefone" },
    examplesLegend: "Exemplos das variáveis",
    addQuickReply: "Adicionar resposta rápida",
    addUrl: "Adicionar link",
    addPhone: "Adicionar telefone",
    buttonText: (n: number) => `Texto do botão ${n}`,
    buttonUrl: (n: number) => `Endereço do botão ${n}`,
    buttonUrlExample: (n: number) => `Exemplo do endereço completo do botão ${n}`,
    buttonPhone: (n: number) => `Telefone do botão ${n} (com DDI)`,
    removeButton: (n: number) => `Remover botão ${n}`,
    authenticationNote:
      "Modelos de autenticação usam o texto fixo da Meta e um botão para copiar o código.",
    submit: "Enviar para aprovação",
    submitting: "Enviando…",
    submitted: (name: string) => `Modelo ${name} enviado para aprovação.`,
    fixErrors: "Corrija os campos destacados.",
    failed: "Não foi possível concluir. Tente de novo.",
  },
  en: {
    heading: "Message templates",
    sync: "Sync with Meta",
    syncing: "Syncing…",
    synced: (total: number, created: number, updated: number, removed: number) =>
      `Synced: ${total} templates (${created} new, ${updated} updated, ${removed} removed).`,
    empty: "No templates yet. Sync with Meta or create one.",
    name: "Name",
    language: "Language",
    category: "Category",
    status: "Status",
    reason: "Rejection reason",
    actions: "Actions",
    delete: "Delete",
    deleteLabel: (name: string, language: string) => `Delete template ${name} (${language})`,
    confirmDelete: (name: string, language: string) =>
      `Delete template ${name} (${language})? Meta does not let the name be reused for a while.`,
    confirm: "Delete",
    cancel: "Cancel",
    deleted: (name: string) => `Template ${name} deleted.`,
    newTemplate: "New template",
    header: "Header (optional)",
    body: "Message body",
    bodyHint: "Use {{1}}, {{2}}… for variables, with text before and after them.",
    footer: "Footer (optional)",
    example: (n: number) => `Example for {{${n}}}`,
    headerExample: "Example for the header's {{1}}",
    buttons: "Buttons",
    buttonKinds: { QUICK_REPLY: "Quick reply", URL: "Link", PHONE_NUMBER: "Phone" },
    examplesLegend: "Variable examples",
    addQuickReply: "Add quick reply",
    addUrl: "Add link",
    addPhone: "Add phone number",
    buttonText: (n: number) => `Button ${n} text`,
    buttonUrl: (n: number) => `Button ${n} address`,
    buttonUrlExample: (n: number) => `Button ${n} full address example`,
    buttonPhone: (n: number) => `Button ${n} phone (with country code)`,
    removeButton: (n: number) => `Remove button ${n}`,
    authenticationNote: "Authentication templates use Meta's fixed text and a copy-code button.",
    submit: "Submit for review",
    submitting: "Submitting…",
    submitted: (name: string) => `Template ${name} submitted for review.`,
    fixErrors: "Fix the highlighted fields.",
    failed: "That did not work. Try again.",
  },
} as const;

/** Texts of the template screens, in the interface language. */
export function templateText(locale: Locale = currentLocale()) {
  return templateTexts[locale];
}

const templateStatusTexts: Record<Locale, Record<string, string>> = {
  "pt-BR": {
    APPROVED: "Aprovado",
    PENDING: "Em análise",
    REJECTED: "Rejeitado",
    PAUSED: "Pausado",
    DISABLED: "Desativado",
    IN_APPEAL: "Em recurso",
    PENDING_DELETION: "Excluindo",
    ARCHIVED: "Arquivado",
    LIMIT_EXCEEDED: "Limite excedido",
  },
  en: {
    APPROVED: "Approved",
    PENDING: "In review",
    REJECTED: "Rejected",
    PAUSED: "Paused",
    DISABLED: "Disabled",
    IN_APPEAL: "In appeal",
    PENDING_DELETION: "Being deleted",
    ARCHIVED: "Archived",
    LIMIT_EXCEEDED: "Limit exceeded",
  },
};

/** A template status as shown on its badge (Meta's list is open-ended: unknown ones as sent). */
export function templateStatusLabel(status: string, locale: Locale = currentLocale()): string {
  return templateStatusTexts[locale][status] ?? status;
}

const templateCategoryTexts: Record<Locale, Record<TemplateCategory, string>> = {
  "pt-BR": { MARKETING: "Marketing", UTILITY: "Utilidade", AUTHENTICATION: "Autenticação" },
  en: { MARKETING: "Marketing", UTILITY: "Utility", AUTHENTICATION: "Authentication" },
};

/** A template category as the interface names it. */
export function templateCategoryLabel(category: string, locale: Locale = currentLocale()): string {
  return templateCategoryTexts[locale][category as TemplateCategory] ?? category;
}

const templateRuleTexts: Partial<Record<TemplateRule, string>> = {
  name_required: "Dê um nome ao modelo.",
  name_format: "Use só letras minúsculas (a-z), números e _ no nome, por exemplo pedido_enviado.",
  name_too_long: "O nome pode ter no máximo 512 caracteres.",
  category_invalid: "Escolha uma categoria.",
  language_unsupported: "Escolha um idioma da lista da Meta.",
  component_duplicate: "Cada parte (cabeçalho, corpo, rodapé, botões) aparece uma vez só.",
  body_required: "Escreva o corpo da mensagem.",
  body_text_required: "Escreva o corpo da mensagem.",
  body_too_long: "O corpo pode ter no máximo 1024 caracteres.",
  header_text_required: "Escreva o cabeçalho ou deixe-o vazio.",
  header_too_long: "O cabeçalho pode ter no máximo 60 caracteres.",
  header_too_many_variables: "O cabeçalho pode ter no máximo uma variável.",
  header_characters: "O cabeçalho não pode ter quebras de linha, asteriscos ou emojis.",
  header_media_example_required: "Um cabeçalho de mídia precisa de um arquivo de exemplo.",
  footer_text_required: "Escreva o rodapé ou deixe-o vazio.",
  footer_too_long: "O rodapé pode ter no máximo 60 caracteres.",
  footer_variables: "O rodapé não pode ter variáveis.",
  variable_format: "Escreva as variáveis como {{1}}, {{2}}…, sem nada mais entre as chaves.",
  variables_not_sequential: "Numere as variáveis em ordem, começando em {{1}}.",
  variables_adjacent: "Duas variáveis não podem ficar lado a lado: ponha palavras entre elas.",
  variable_at_edge: "O corpo não pode começar nem terminar com uma variável.",
  examples_missing: "Dê um valor de exemplo para cada variável.",
  example_empty: "Dê um valor de exemplo para esta variável.",
  buttons_required: "Adicione um botão ou remova os botões.",
  buttons_too_many: "Um modelo tem no máximo 10 botões.",
  buttons_not_grouped: "Deixe as respostas rápidas juntas e os botões de link/telefone juntos.",
  button_text_required: "Escreva o texto do botão.",
  button_text_too_long: "O texto do botão pode ter no máximo 25 caracteres.",
  button_text_duplicate: "Dois botões não podem ter o mesmo texto.",
  url_buttons_too_many: "Um modelo tem no máximo 2 botões de link.",
  url_invalid: "Informe um endereço completo começando com https://.",
  url_variables: "O link pode ter uma variável, {{1}}, só no final.",
  url_example_missing: "Dê um exemplo do link completo com a variável preenchida.",
  phone_buttons_too_many: "Um modelo tem no máximo 1 botão de telefone.",
  phone_invalid: "Informe o telefone com DDI, só números, por exemplo +5511999990000.",
  otp_button_only_for_authentication: "Botões de código existem só em modelos de autenticação.",
  authentication_layout: "Modelos de autenticação usam o texto fixo da Meta.",
  code_expiration_invalid: "A validade do código vai de 1 a 90 minutos.",
  template_exists: "Já existe um modelo com este nome neste idioma (ou ele está sendo excluído).",
};

/** What to show beside a refused template field: our text, or the API's English message. */
export function templateErrorText(
  error: TemplateFieldError,
  locale: Locale = currentLocale(),
): string {
  if (locale === "en" || error.rule === "invalid") return error.message;
  return templateRuleTexts[error.rule] ?? error.message;
}

const typeLabels: Record<string, string> = {
  image: "📷 Foto",
  video: "🎬 Vídeo",
  audio: "🎤 Áudio",
  document: "📄 Documento",
  sticker: "Figurinha",
  location: "📍 Localização",
  contacts: "👤 Contato",
  reaction: "Reação",
  interactive: "Resposta",
  button: "Botão",
  template: "Modelo",
  unsupported: "Mensagem não suportada",
};

const typeLabelsEn: Record<string, string> = {
  image: "📷 Photo",
  video: "🎬 Video",
  audio: "🎤 Audio",
  document: "📄 Document",
  sticker: "Sticker",
  location: "📍 Location",
  contacts: "👤 Contact",
  reaction: "Reaction",
  interactive: "Reply",
  button: "Button",
  template: "Template",
  unsupported: "Unsupported message",
};

/** Longest quote of a message shown above a reply or in the composer. */
const QUOTE_LENGTH = 120;

/** Text cut to `max` characters (code points) with an ellipsis. */
export function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** What a quote shows of a message: its preview, cut to `QUOTE_LENGTH` characters. */
export function quotePreview(message: MessagePayload): string {
  return shorten(messagePreview(message), QUOTE_LENGTH);
}

/** One line saying what a message is: its text, caption or kind. */
export function messagePreview(message: MessagePayload | null | undefined): string {
  if (message === null || message === undefined) return "";
  if (message.content.type === "template" && message.content.template.text?.body) {
    return message.content.template.text.body;
  }
  const content = message.content as { body?: unknown; caption?: unknown; title?: unknown };
  for (const text of [content.body, content.caption, content.title]) {
    if (typeof text === "string" && text !== "") return text;
  }
  const labels = currentLocale() === "en" ? typeLabelsEn : typeLabels;
  return labels[message.type] ?? message.type;
}

/** A time of day today (14:05), else a short date (28/11). */
export function shortTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return "";
  const date = new Date(iso);
  const today = new Date();
  const locale = currentLocale();
  return date.toDateString() === today.toDateString()
    ? date.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleDateString(locale, { day: "2-digit", month: "2-digit" });
}

const tickLabels: Record<
  Locale,
  Record<"sending" | "sent" | "delivered" | "read" | "failed", string>
> = {
  "pt-BR": {
    sending: "Enviando",
    sent: "Enviada",
    delivered: "Entregue",
    read: "Lida",
    failed: "Falhou",
  },
  en: { sending: "Sending", sent: "Sent", delivered: "Delivered", read: "Read", failed: "Failed" },
};

/** The ticks of an outbound message, as WhatsApp shows them, with a label for screen readers. */
export function deliveryTicks(
  status: DeliveryStatus | null,
  locale: Locale = currentLocale(),
): { ticks: string; label: string } {
  const labels = tickLabels[locale];
  switch (status) {
    case "queued":
    case "sending":
      return { ticks: "🕓", label: labels.sending };
    case "accepted":
    case "sent":
      return { ticks: "✓", label: labels.sent };
    case "delivered":
      return { ticks: "✓✓", label: labels.delivered };
    case "read":
    case "played":
      return { ticks: "✓✓", label: labels.read };
    case "failed":
      return { ticks: "⚠", label: labels.failed };
    default:
      return { ticks: "", label: "" };
  }
}
