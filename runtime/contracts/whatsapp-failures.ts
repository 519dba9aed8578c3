/**
 * Why a WhatsApp send (or another Graph call) failed, as a stable id the inbox can show in the
 * agent's language. The server maps Meta's error codes (protocols.md A7) to these ids in
 * `src/integrations/whatsapp/graphApi.ts`; the browser only ever sees the id and these texts.
 */
export const failureReasons = [
  "window_closed",
  "consent_revoked",
  "rate_limited",
  "token_invalid",
  "permission_denied",
  "account_blocked",
  "recipient_unavailable",
  "recipient_invalid",
  "marketing_limited",
  "media_unavailable",
  "media_invalid",
  "invalid_parameter",
  "template_invalid",
  "template_paused",
  "template_disabled",
  "meta_unavailable",
  "network_error",
  "timeout",
  "unknown",
] as const;

/** A stable failure reason id. */
export type FailureReason = (typeof failureReasons)[number];

/** What an agent reads for each reason, in English and Brazilian Portuguese. */
export const failureReasonTexts: Record<FailureReason, { en: string; ptBR: string }> = {
  window_closed: {
    en: "More than 24 hours have passed since the customer's last message. Send an approved template instead.",
    ptBR: "Já se passaram mais de 24 horas desde a última mensagem do cliente. Envie um modelo aprovado.",
  },
  consent_revoked: {
    en: "The customer withdrew consent (LGPD) after this message was queued, so it was not sent.",
    ptBR: "O cliente retirou o consentimento (LGPD) depois que esta mensagem entrou na fila, então ela não foi enviada.",
  },
  rate_limited: {
    en: "WhatsApp is limiting how fast this number may send. The message was retried and still could not be sent.",
    ptBR: "O WhatsApp está limitando a velocidade de envio deste número. A mensagem foi reenviada e ainda assim não saiu.",
  },
  token_invalid: {
    en: "The WhatsApp access token is invalid, expired or revoked. An administrator must save a new one in the settings.",
    ptBR: "O token de acesso do WhatsApp é inválido, expirou ou foi revogado. Um administrador precisa salvar um novo nas configurações.",
  },
  permission_denied: {
    en: "The WhatsApp access token lacks permission for this phone number.",
    ptBR: "O token de acesso do WhatsApp não tem permissão para este número.",
  },
  account_blocked: {
    en: "The WhatsApp Business account is blocked, locked or has a payment problem. Check it in Meta's Business settings.",
    ptBR: "A conta do WhatsApp Business está bloqueada ou com problema de pagamento. Verifique nas configurações da Meta.",
  },
  recipient_unavailable: {
    en: "The message could not be delivered to this customer (not on WhatsApp, outdated app or blocked the number).",
    ptBR: "Não foi possível entregar a mensagem a este cliente (não usa WhatsApp, aplicativo desatualizado ou bloqueou o número).",
  },
  recipient_invalid: {
    en: "This recipient cannot receive messages from this number.",
    ptBR: "Este destinatário não pode receber mensagens deste número.",
  },
  marketing_limited: {
    en: "WhatsApp did not deliver this marketing message (per-user limit or the customer opted out).",
    ptBR: "O WhatsApp não entregou esta mensagem de marketing (limite por usuário ou o cliente recusou marketing).",
  },
  media_unavailable: {
    en: "The file could not be downloaded or uploaded. Check the link or send the file again.",
    ptBR: "Não foi possível baixar ou enviar o arquivo. Verifique o link ou envie o arquivo novamente.",
  },
  media_invalid: {
    en: "The file's type or size is not accepted by WhatsApp.",
    ptBR: "O tipo ou o tamanho do arquivo não é aceito pelo WhatsApp.",
  },
  invalid_parameter: {
    en: "WhatsApp refused the message as malformed (a missing or invalid field).",
    ptBR: "O WhatsApp recusou a mensagem por estar malformada (campo ausente ou inválido).",
  },
  template_invalid: {
    en: "The template does not exist in this language or its parameters do not match.",
    ptBR: "O modelo não existe neste idioma ou os parâmetros não correspondem.",
  },
  template_paused: {
    en: "The template is paused by WhatsApp because of low quality.",
    ptBR: "O modelo foi pausado pelo WhatsApp por baixa qualidade.",
  },
  template_disabled: {
    en: "The template is disabled by WhatsApp.",
    ptBR: "O modelo foi desativado pelo WhatsApp.",
  },
  meta_unavailable: {
    en: "WhatsApp's servers were unavailable. The message was retried and still could not be sent.",
    ptBR: "Os servidores do WhatsApp estavam indisponíveis. A mensagem foi reenviada e ainda assim não saiu.",
  },
  network_error: {
    en: "Could not reach WhatsApp's servers.",
    ptBR: "Não foi possível conectar aos servidores do WhatsApp.",
  },
  timeout: {
    en: "WhatsApp's servers took too long to answer.",
    ptBR: "Os servidores do WhatsApp demoraram demais para responder.",
  },
  unknown: {
    en: "WhatsApp refused the message for an unexpected reason.",
    ptBR: "O WhatsApp recusou a mensagem por um motivo inesperado.",
  },
};
