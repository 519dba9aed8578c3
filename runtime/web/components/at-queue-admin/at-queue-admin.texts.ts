import { currentLocale } from "../../messages.js";

const texts = {
  "pt-BR": {
    title: "Filas",
    intro:
      "Conversas novas esperam numa fila até alguém assumir. Quem é membro de uma fila vê as conversas que esperam nela.",
    name: "Nome",
    members: "Membros",
    actions: "Ações",
    noMembers: "Nenhum membro",
    noQueues: "Nenhuma fila ainda. Sem filas, todas as conversas esperam na fila geral.",
    unknownUser: (id: number) => `Usuário nº ${id}`,
    add: "Nova fila",
    create: "Criar fila",
    edit: "Editar",
    editLabel: (name: string) => `Editar a fila ${name}`,
    editing: (name: string) => `Editar a fila ${name}`,
    save: "Salvar",
    cancel: "Cancelar",
    delete: "Excluir",
    deleteLabel: (name: string) => `Excluir a fila ${name}`,
    confirmDelete: (name: string) =>
      `Excluir a fila ${name}? As conversas que esperam nela voltam para a fila geral.`,
    created: (name: string) => `Fila ${name} criada.`,
    saved: (name: string) => `Fila ${name} salva.`,
    deleted: (name: string) => `Fila ${name} excluída.`,
    duplicate: "Já existe uma fila com este nome. Escolha outro.",
    invalid: "Confira o nome (até 80 caracteres) e os membros.",
    gone: "Esta fila não existe mais (outra pessoa a excluiu). A lista foi atualizada.",
    loadFailed: "Não foi possível carregar as filas.",
    agentsFailed: "Não foi possível carregar quem atende; os membros não podem ser mudados agora.",
    noAgents: "Ninguém pode atender conversas ainda.",
  },
  en: {
    title: "Queues",
    intro:
      "New conversations wait in a queue until someone takes them. Members of a queue see the conversations waiting in it.",
    name: "Name",
    members: "Members",
    actions: "Actions",
    noMembers: "No members",
    noQueues: "No queues yet. Without queues, every conversation waits in the general queue.",
    unknownUser: (id: number) => `User #${id}`,
    add: "New queue",
    create: "Create queue",
    edit: "Edit",
    editLabel: (name: string) => `Edit queue ${name}`,
    editing: (name: string) => `Edit queue ${name}`,
    save: "Save",
    cancel: "Cancel",
    delete: "Delete",
    deleteLabel: (name: string) => `Delete queue ${name}`,
    confirmDelete: (name: string) =>
      `Delete queue ${name}? The conversations waiting in it go back to the general queue.`,
    created: (name: string) => `Queue ${name} created.`,
    saved: (name: string) => `Queue ${name} saved.`,
    deleted: (name: string) => `Queue ${name} deleted.`,
    duplicate: "A queue with this name already exists. Pick another one.",
    invalid: "Check the name (up to 80 characters) and the members.",
    gone: "This queue no longer exists (someone else deleted it). The list was refreshed.",
    loadFailed: "The queues could not be loaded.",
    agentsFailed:
      "The people who work conversations could not be loaded; members cannot be changed now.",
    noAgents: "Nobody can work conversations yet.",
  },
} as const;

/** The queue-management texts in the interface language. */
export const queueAdminText = () => texts[currentLocale()];
