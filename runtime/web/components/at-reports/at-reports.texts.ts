import type { ReportGrouping } from "../../../contracts/reports.js";
import { currentLocale } from "../../messages.js";

const texts = {
  "pt-BR": {
    title: "Relatórios",
    from: "De",
    to: "Até",
    groupBy: "Agrupar por",
    groupings: {
      day: "Dia",
      agent: "Atendente",
      queue: "Fila",
      day_agent: "Dia e atendente",
    } satisfies Record<ReportGrouping, string>,
    update: "Atualizar",
    export: "Exportar CSV",
    loading: "Carregando…",
    loadFailed: "Não foi possível carregar o relatório.",
    period: (from: string, to: string, timeZone: string) =>
      `De ${from} a ${to} (dias no fuso ${timeZone}).`,
    conversations: "Conversas",
    firstResponse: "Primeira resposta",
    resolution: "Resolução",
    automatic: "Respondidas automaticamente",
    average: "média",
    median: "mediana",
    p90: "90% até",
    day: "Dia",
    agent: "Atendente",
    queue: "Fila",
    unassigned: "Sem responsável",
    resolved: "Resolvidas",
    firstResponseMedian: "1ª resposta (mediana)",
    firstResponseP90: "1ª resposta (90%)",
    resolutionMedian: "Resolução (mediana)",
    automaticShare: "Automáticas",
    empty: "Nenhuma conversa no período.",
    barLabel: (count: number) => `${count} conversa(s)`,
    of: (part: number, total: number) => `${part} de ${total}`,
  },
  en: {
    title: "Reports",
    from: "From",
    to: "To",
    groupBy: "Group by",
    groupings: {
      day: "Day",
      agent: "Agent",
      queue: "Queue",
      day_agent: "Day and agent",
    } satisfies Record<ReportGrouping, string>,
    update: "Update",
    export: "Export CSV",
    loading: "Loading…",
    loadFailed: "The report could not be loaded.",
    period: (from: string, to: string, timeZone: string) =>
      `From ${from} to ${to} (days in the ${timeZone} time zone).`,
    conversations: "Conversations",
    firstResponse: "First response",
    resolution: "Resolution",
    automatic: "Answered automatically",
    average: "average",
    median: "median",
    p90: "90% within",
    day: "Day",
    agent: "Agent",
    queue: "Queue",
    unassigned: "Unassigned",
    resolved: "Resolved",
    firstResponseMedian: "First response (median)",
    firstResponseP90: "First response (90%)",
    resolutionMedian: "Resolution (median)",
    automaticShare: "Automatic",
    empty: "No conversations in the period.",
    barLabel: (count: number) => `${count} conversation(s)`,
    of: (part: number, total: number) => `${part} of ${total}`,
  },
} as const;

/** The reports page's texts in the interface language. */
export const reportsText = () => texts[currentLocale()];

/** A duration for people: `45 s`, `3 min 20 s`, `2 h 5 min`, `3 d 4 h`; `—` for none. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "—";
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return whole % 60 === 0 ? `${minutes} min` : `${minutes} min ${whole % 60} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/** A 0–1 share as a percentage (`33%`), `—` for none. */
export function formatShare(share: number | null): string {
  return share === null
    ? "—"
    : new Intl.NumberFormat(currentLocale(), { style: "percent", maximumFractionDigits: 1 }).format(
        share,
      );
}
