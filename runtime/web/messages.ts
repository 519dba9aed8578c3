import type { UserRole } from "../contracts/api.js";
import type { ErrorId } from "../contracts/error-ids.js";

/** Interface text is Brazilian Portuguese; this is the one place it lives outside templates. */
const errorMessages: Partial<Record<ErrorId | "network_error", string>> = {
  invalid_credentials: "E-mail ou senha incorretos.",
  validation_error: "Confira o e-mail e a senha.",
  authentication_required: "Sua sessão terminou. Entre novamente.",
  service_unavailable: "O serviço está indisponível no momento. Tente de novo em instantes.",
  network_error: "Sem conexão com o servidor. Verifique sua internet.",
};

/** A message for the user about a failed request. */
export function errorMessage(id: ErrorId | "network_error"): string {
  return errorMessages[id] ?? "Algo deu errado. Tente de novo.";
}

/** How a role is named in the interface. */
export const roleLabels: Record<UserRole, string> = {
  admin: "Administrador",
  manager: "Gerente",
  agent: "Atendente",
};
