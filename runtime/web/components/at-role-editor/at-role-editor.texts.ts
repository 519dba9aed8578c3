import type { Permission } from "../../../contracts/permissions.js";
import { currentLocale } from "../../messages.js";

/** How the permissions are grouped on the screen, in order. */
export const permissionGroups: ReadonlyArray<{
  id: "conversations" | "contacts" | "templates" | "settings" | "administration";
  permissions: readonly Permission[];
}> = [
  {
    id: "conversations",
    permissions: [
      "conversations.viewAssigned",
      "conversations.viewAll",
      "conversations.assign",
      "messages.send",
    ],
  },
  {
    id: "contacts",
    permissions: ["contacts.view", "contacts.edit", "contacts.export", "contacts.erase"],
  },
  { id: "templates", permissions: ["templates.view", "templates.manage"] },
  { id: "settings", permissions: ["settings.whatsapp", "settings.general"] },
  {
    id: "administration",
    permissions: ["users.manage", "roles.manage", "audit.view", "reports.view"],
  },
];

const texts = {
  "pt-BR": {
    title: "Papéis e permissões",
    roles: "Papéis",
    permissionsColumn: "Permissões",
    name: "Nome",
    key: "Identificador",
    keyHint: "Letras minúsculas, números e hífens (ex.: supervisor-noite). Não muda depois.",
    users: "Usuários",
    kind: "Tipo",
    builtin: "Padrão (somente leitura)",
    custom: "Personalizado",
    actions: "Ações",
    view: "Ver",
    edit: "Editar",
    remove: "Excluir",
    inUse: (count: number) =>
      `Em uso por ${count} usuário(s): troque o papel deles antes de excluir.`,
    newRole: "Novo papel",
    editing: (name: string) => `Editar papel: ${name}`,
    viewing: (name: string) => `Permissões do papel padrão: ${name}`,
    create: "Criar papel",
    save: "Salvar alterações",
    cancel: "Cancelar",
    saved: "Papel salvo.",
    deleted: "Papel excluído.",
    confirmDelete: (name: string) => `Excluir o papel ${name}?`,
    loadFailed: "Não foi possível carregar os papéis.",
    permissionCount: (count: number) => `${count} permissão(ões)`,
    groups: {
      conversations: "Conversas",
      contacts: "Contatos",
      templates: "Modelos de mensagem",
      settings: "Configurações",
      administration: "Administração",
    },
    permissions: {
      "conversations.viewAssigned": [
        "Atender conversas",
        "Ver e responder conversas atribuídas a si ou às suas filas.",
      ],
      "conversations.viewAll": [
        "Ver todas as conversas",
        "Ver todas as conversas da empresa, de qualquer atendente.",
      ],
      "conversations.assign": [
        "Atribuir conversas",
        "Atribuir e transferir conversas para outros atendentes.",
      ],
      "messages.send": [
        "Enviar mensagens",
        "Enviar mensagens de WhatsApp nas conversas que pode ver.",
      ],
      "contacts.view": [
        "Ver contatos",
        "Ver nome, número, etiquetas e consentimento dos contatos.",
      ],
      "contacts.edit": ["Editar contatos", "Alterar nome e etiquetas dos contatos."],
      "contacts.export": [
        "Exportar dados de contato",
        "Exportar tudo o que há sobre uma pessoa (pedido de acesso, LGPD).",
      ],
      "contacts.erase": [
        "Apagar contatos",
        "Apagar ou anonimizar uma pessoa (direito ao esquecimento, LGPD).",
      ],
      "templates.view": ["Usar modelos", "Enviar modelos de mensagem aprovados."],
      "templates.manage": [
        "Gerenciar modelos",
        "Criar, enviar para aprovação, sincronizar e excluir modelos.",
      ],
      "settings.whatsapp": [
        "Conexão do WhatsApp",
        "Configurar número, tokens e webhook do WhatsApp.",
      ],
      "settings.general": [
        "Configurações gerais",
        "Respostas rápidas, horário de atendimento e notificações.",
      ],
      "users.manage": [
        "Gerenciar usuários",
        "Adicionar usuários, trocar papéis, desativar, redefinir senhas e desbloquear.",
      ],
      "roles.manage": ["Gerenciar papéis", "Criar, alterar e excluir papéis personalizados."],
      "audit.view": ["Registro de atividades", "Ver e exportar o registro de atividades."],
      "reports.view": ["Relatórios", "Ver e exportar os relatórios de atendimento."],
    } satisfies Record<Permission, readonly [string, string]>,
  },
  en: {
    title: "Roles and permissions",
    roles: "Roles",
    permissionsColumn: "Permissions",
    name: "Name",
    key: "Key",
    keyHint:
      "Lower-case letters, digits and dashes (e.g. night-supervisor). It cannot change later.",
    users: "Users",
    kind: "Kind",
    builtin: "Built-in (read-only)",
    custom: "Custom",
    actions: "Actions",
    view: "View",
    edit: "Edit",
    remove: "Delete",
    inUse: (count: number) => `Held by ${count} user(s): give them another role before deleting.`,
    newRole: "New role",
    editing: (name: string) => `Edit role: ${name}`,
    viewing: (name: string) => `Permissions of the built-in role: ${name}`,
    create: "Create role",
    save: "Save changes",
    cancel: "Cancel",
    saved: "Role saved.",
    deleted: "Role deleted.",
    confirmDelete: (name: string) => `Delete the role ${name}?`,
    loadFailed: "The roles could not be loaded.",
    permissionCount: (count: number) => `${count} permission(s)`,
    groups: {
      conversations: "Conversations",
      contacts: "Contacts",
      templates: "Message templates",
      settings: "Settings",
      administration: "Administration",
    },
    permissions: {
      "conversations.viewAssigned": [
        "Handle conversations",
        "See and answer conversations assigned to you or your queues.",
      ],
      "conversations.viewAll": [
        "See all conversations",
        "See every conversation of the company, whoever handles it.",
      ],
      "conversations.assign": [
        "Assign conversations",
        "Assign and transfer conversations to other agents.",
      ],
      "messages.send": [
        "Send messages",
        "Send WhatsApp messages in the conversations you can see.",
      ],
      "contacts.view": ["See contacts", "See contacts' name, number, tags and consent."],
      "contacts.edit": ["Edit contacts", "Change contacts' name and tags."],
      "contacts.export": [
        "Export contact data",
        "Export everything held about a person (LGPD access request).",
      ],
      "contacts.erase": [
        "Erase contacts",
        "Erase or anonymise a person (LGPD right to be forgotten).",
      ],
      "templates.view": ["Use templates", "Send approved message templates."],
      "templates.manage": ["Manage templates", "Create, submit, sync and delete templates."],
      "settings.whatsapp": [
        "WhatsApp connection",
        "Configure the WhatsApp number, tokens and webhook.",
      ],
      "settings.general": ["General settings", "Quick replies, business hours and notifications."],
      "users.manage": [
        "Manage users",
        "Add users, change roles, disable, reset passwords and unlock.",
      ],
      "roles.manage": ["Manage roles", "Create, change and delete custom roles."],
      "audit.view": ["Activity log", "See and export the activity log."],
      "reports.view": ["Reports", "See and export the service reports."],
    } satisfies Record<Permission, readonly [string, string]>,
  },
} as const;

/** The role editor's texts in the interface language. */
export const roleEditorText = () => texts[currentLocale()];
