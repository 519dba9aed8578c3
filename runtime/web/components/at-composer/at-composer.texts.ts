import { currentLocale } from "../../messages.js";

/** "3 h 12 min", "12 min", "45 s". */
function remaining(ms: number, seconds: string): string {
  const totalMinutes = Math.floor(ms / 60_000);
  if (totalMinutes < 1) return `${Math.max(0, Math.ceil(ms / 1000))} ${seconds}`;
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  return hours === 0 ? `${minutes} min` : `${hours} h ${minutes} min`;
}

const texts = {
  "pt-BR": {
    message: "Mensagem",
    send: "Enviar",
    attach: "Anexar arquivo",
    counter: (used: number, max: number) => `${used}/${max} caracteres`,
    tooLong: (max: number) => `A mensagem pode ter no máximo ${max} caracteres.`,
    windowCloses: (ms: number) => `Janela fecha em ${remaining(ms, "s")}`,
    windowHint:
      "Depois disso, só um modelo aprovado pode ser enviado até o cliente escrever de novo.",
    windowClosed:
      "A janela de 24 horas do WhatsApp está fechada: só um modelo aprovado pode reabrir a conversa.",
    quickReplies: "Respostas rápidas",
    noQuickReplies: "Nenhuma resposta rápida com esse atalho.",
    uploading: (name: string) => `Enviando ${name}…`,
    uploadProgress: (name: string) => `Progresso do envio de ${name}`,
    cancelUpload: "Cancelar envio",
    uploaded: (name: string) => `${name} pronto para enviar.`,
    caption: "Legenda (opcional)",
    sendFile: "Enviar arquivo",
    discard: "Descartar",
    fileType: (name: string, type: string) =>
      `O WhatsApp não aceita o arquivo ${name} (${type || "tipo desconhecido"}). Use JPEG ou PNG para fotos, MP4 para vídeos, MP3/OGG/AAC para áudio, ou PDF, TXT, Word, Excel e PowerPoint para documentos.`,
    fileSize: (name: string, max: string) =>
      `O arquivo ${name} é grande demais: o limite do WhatsApp para esse tipo é ${max}.`,
    fileEmpty: (name: string) => `O arquivo ${name} está vazio.`,
    uploadFailed: (reason: string) => `Não foi possível enviar o arquivo: ${reason}`,
    sendFailed: "Não foi possível enviar a mensagem. Tente de novo.",
    replyingTo: (author: string) => `Respondendo a ${author}`,
    you: "Você",
    contact: "Contato",
    cancelReply: "Cancelar resposta",
    replyFailed: (reason: string) => `Não foi possível enviar a resposta: ${reason}`,
    reactionFailed: (reason: string) => `Não foi possível enviar a reação: ${reason}`,
  },
  en: {
    message: "Message",
    send: "Send",
    attach: "Attach a file",
    counter: (used: number, max: number) => `${used}/${max} characters`,
    tooLong: (max: number) => `A message may have at most ${max} characters.`,
    windowCloses: (ms: number) => `Window closes in ${remaining(ms, "s")}`,
    windowHint:
      "After that, only an approved template can be sent until the customer writes again.",
    windowClosed:
      "WhatsApp's 24-hour window is closed: only an approved template can reopen the conversation.",
    quickReplies: "Quick replies",
    noQuickReplies: "No quick reply with that shortcut.",
    uploading: (name: string) => `Sending ${name}…`,
    uploadProgress: (name: string) => `Upload progress of ${name}`,
    cancelUpload: "Cancel upload",
    uploaded: (name: string) => `${name} is ready to send.`,
    caption: "Caption (optional)",
    sendFile: "Send file",
    discard: "Discard",
    fileType: (name: string, type: string) =>
      `WhatsApp does not accept ${name} (${type || "unknown type"}). Use JPEG or PNG for photos, MP4 for videos, MP3/OGG/AAC for audio, or PDF, TXT, Word, Excel and PowerPoint for documents.`,
    fileSize: (name: string, max: string) =>
      `${name} is too large: WhatsApp's limit for this type is ${max}.`,
    fileEmpty: (name: string) => `${name} is empty.`,
    uploadFailed: (reason: string) => `The file could not be sent: ${reason}`,
    sendFailed: "The message could not be sent. Try again.",
    replyingTo: (author: string) => `Replying to ${author}`,
    you: "You",
    contact: "Contact",
    cancelReply: "Cancel reply",
    replyFailed: (reason: string) => `The reply could not be sent: ${reason}`,
    reactionFailed: (reason: string) => `The reaction could not be sent: ${reason}`,
  },
} as const;

/** Texts of `<at-composer>`, in the interface language. */
export function composerText(locale = currentLocale()) {
  return texts[locale];
}
