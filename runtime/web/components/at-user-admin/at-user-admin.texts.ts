import { currentLocale } from "../../messages.js";

const texts = {
  "pt-BR": {
    title: "Usuários",
    add: "Adicionar usuário",
    name: "Nome",
    email: "E-mail",
    role: "Papel",
    state: "Situação",
    actions: "Ações",
    active: "Ativo",
    disabled: "Desativado",
    locked: "Bloqueado por tentativas",
    totp: "Verificação em duas etapas",
    mustChange: "Senha temporária",
    create: "Adicionar",
    resetPassword: "Nova senha temporária",
    unlock: "Desbloquear",
    disable: "Desativar",
    enable: "Reativar",
    oneTimeFor: (email: string) => `Senha temporária de ${email} (mostrada só agora):`,
    confirmDisable: (name: string) => `Desativar ${name}? As sessões abertas terminam na hora.`,
    confirmReset: (name: string) =>
      `Gerar uma nova senha temporária para ${name}? A senha atual e a verificação em duas etapas deixam de valer.`,
    loadFailed: "Não foi possível carregar os usuários.",
  },
  en: {
    title: "Users",
    add: "Add a user",
    name: "Name",
    email: "E-mail",
    role: "Role",
    state: "State",
    actions: "Actions",
    active: "Active",
    disabled: "Disabled",
    locked: "Locked after failed sign-ins",
    totp: "Two-step verification",
    mustChange: "Temporary password",
    create: "Add",
    resetPassword: "New temporary password",
    unlock: "Unlock",
    disable: "Disable",
    enable: "Enable",
    oneTimeFor: (email: string) => `Temporary password for ${email} (shown only now):`,
    confirmDisable: (name: string) => `Disable ${name}? Their open sessions end at once.`,
    confirmReset: (name: string) =>
      `Give ${name} a new temporary password? Their current password and two-step verification stop working.`,
    loadFailed: "The users could not be loaded.",
  },
} as const;

/** The user-management texts in the interface language. */
export const userAdminText = () => texts[currentLocale()];
