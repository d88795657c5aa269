import type { NotificationKind } from '@concord/contracts';

export type MailLanguage = 'en' | 'es' | 'fr' | 'ar';

type Subject = Record<string, unknown>;
type Phrase = (subject: Subject) => string;

interface Words {
  kinds: Record<NotificationKind, Phrase>;
  open: string;
  settings: string;
  unsubscribe: string;
  digest: string;
  greeting: string;
  /** A calendar's name and its two kinds of date (the feed and the deadline mails' `.ics`). */
  calendarName: string;
  feedbackEnds: string;
  decision: string;
  /** Before a time in a mail (shown in the person's zone, the zone named). */
  feedbackEndsAt: string;
}

const title = (subject: Subject) => `“${String(subject.title ?? '')}”`;

/**
 * The mails' words in the four languages of the portal. Mails are worded on the server (like the portal's
 * pages, ADR 0017) from ids and short facts; the person's language is their notification setting.
 */
export const words: Record<MailLanguage, Words> = {
  en: {
    kinds: {
      proposalOpened: (s) => `A proposal is open for your organization's stance: ${title(s)}`,
      feedbackClosing48h: (s) =>
        `Feedback on ${title(s)} closes in 48 hours; your organization has no stance yet`,
      feedbackClosing24h: (s) =>
        `Feedback on ${title(s)} closes in 24 hours; your organization has no stance yet`,
      stanceNeedsReview: (s) => `${title(s)} was amended: your organization's stance needs review`,
      decisionTaken: (s) => `Decision on ${title(s)}: ${s.outcome === 'adopted' ? 'adopted' : 'not adopted'}`,
      decisionExecuted: (s) => `The decision on ${title(s)} was carried out`,
      executionFailed: (s) => `The decision on ${title(s)} could not be carried out`,
      budgetLineChanged: () => 'A budget line you follow changed',
      questionAnswered: () => 'A budget question you asked or follow was answered',
      confirmationWaiting: () => 'Someone waits for your organization to confirm them as its representative',
      undecidedReminder: (s) => `Reminder: your organization has not taken a stance on ${title(s)} yet`,
      mentioned: (s) => `You were mentioned in a comment on ${title(s)}`,
      checkInOpened: () => 'A partnership check-in is open: your organization is asked to answer',
      actionDue: (s) => `A partnership action your organization agreed to is due on ${String(s.dueDate)}`,
      actionOverdue: (s) =>
        `A partnership action was due on ${String(s.dueDate)} and is neither done nor dropped`,
    },
    open: 'Open it in Concord',
    settings: 'Choose which mails you get',
    unsubscribe: 'Stop these mails',
    digest: 'Your Concord digest',
    greeting: 'Hello',
    calendarName: 'Concord: deadlines and decisions',
    feedbackEnds: 'Feedback closes',
    decision: 'Decision',
    feedbackEndsAt: 'Feedback closes',
  },
  es: {
    kinds: {
      proposalOpened: (s) => `Una propuesta espera la postura de su organización: ${title(s)}`,
      feedbackClosing48h: (s) =>
        `Los comentarios sobre ${title(s)} cierran en 48 horas; su organización aún no tiene postura`,
      feedbackClosing24h: (s) =>
        `Los comentarios sobre ${title(s)} cierran en 24 horas; su organización aún no tiene postura`,
      stanceNeedsReview: (s) => `${title(s)} fue enmendada: la postura de su organización debe revisarse`,
      decisionTaken: (s) =>
        `Decisión sobre ${title(s)}: ${s.outcome === 'adopted' ? 'adoptada' : 'no adoptada'}`,
      decisionExecuted: (s) => `La decisión sobre ${title(s)} se ejecutó`,
      executionFailed: (s) => `La decisión sobre ${title(s)} no pudo ejecutarse`,
      budgetLineChanged: () => 'Cambió una línea presupuestaria que usted sigue',
      questionAnswered: () => 'Se respondió una pregunta presupuestaria que usted hizo o sigue',
      confirmationWaiting: () => 'Alguien espera que su organización le confirme como representante',
      undecidedReminder: (s) => `Recordatorio: su organización aún no ha tomado postura sobre ${title(s)}`,
      mentioned: (s) => `Le mencionaron en un comentario sobre ${title(s)}`,
      checkInOpened: () =>
        'Está abierta una revisión de una alianza: se pide la respuesta de su organización',
      actionDue: (s) => `Una acción de la alianza acordada por su organización vence el ${String(s.dueDate)}`,
      actionOverdue: (s) =>
        `Una acción de la alianza venció el ${String(s.dueDate)} y no está hecha ni descartada`,
    },
    open: 'Ábralo en Concord',
    settings: 'Elija qué correos recibe',
    unsubscribe: 'Dejar de recibir estos correos',
    digest: 'Su resumen de Concord',
    greeting: 'Hola',
    calendarName: 'Concord: plazos y decisiones',
    feedbackEnds: 'Cierre de comentarios',
    decision: 'Decisión',
    feedbackEndsAt: 'Los comentarios cierran',
  },
  fr: {
    kinds: {
      proposalOpened: (s) => `Une proposition attend la position de votre organisation : ${title(s)}`,
      feedbackClosing48h: (s) =>
        `Les avis sur ${title(s)} se terminent dans 48 heures ; votre organisation n’a pas encore de position`,
      feedbackClosing24h: (s) =>
        `Les avis sur ${title(s)} se terminent dans 24 heures ; votre organisation n’a pas encore de position`,
      stanceNeedsReview: (s) => `${title(s)} a été amendée : la position de votre organisation est à revoir`,
      decisionTaken: (s) =>
        `Décision sur ${title(s)} : ${s.outcome === 'adopted' ? 'adoptée' : 'non adoptée'}`,
      decisionExecuted: (s) => `La décision sur ${title(s)} a été exécutée`,
      executionFailed: (s) => `La décision sur ${title(s)} n’a pas pu être exécutée`,
      budgetLineChanged: () => 'Une ligne budgétaire que vous suivez a changé',
      questionAnswered: () => 'Une question budgétaire que vous avez posée ou suivez a reçu une réponse',
      confirmationWaiting: () => 'Une personne attend que votre organisation la confirme comme représentante',
      undecidedReminder: (s) => `Rappel : votre organisation n’a pas encore pris position sur ${title(s)}`,
      mentioned: (s) => `Vous avez été mentionné·e dans un commentaire sur ${title(s)}`,
      checkInOpened: () =>
        'Un bilan de partenariat est ouvert : la réponse de votre organisation est attendue',
      actionDue: (s) =>
        `Une action du partenariat acceptée par votre organisation est due le ${String(s.dueDate)}`,
      actionOverdue: (s) =>
        `Une action du partenariat était due le ${String(s.dueDate)} et n’est ni faite ni abandonnée`,
    },
    open: 'L’ouvrir dans Concord',
    settings: 'Choisir les courriels reçus',
    unsubscribe: 'Ne plus recevoir ces courriels',
    digest: 'Votre résumé Concord',
    greeting: 'Bonjour',
    calendarName: 'Concord : échéances et décisions',
    feedbackEnds: 'Fin des avis',
    decision: 'Décision',
    feedbackEndsAt: 'Fin des avis',
  },
  ar: {
    kinds: {
      proposalOpened: (s) => `مقترح مفتوح ينتظر موقف منظمتك: ${title(s)}`,
      feedbackClosing48h: (s) => `تُغلق الملاحظات على ${title(s)} خلال 48 ساعة، ولم تتخذ منظمتك موقفًا بعد`,
      feedbackClosing24h: (s) => `تُغلق الملاحظات على ${title(s)} خلال 24 ساعة، ولم تتخذ منظمتك موقفًا بعد`,
      stanceNeedsReview: (s) => `عُدّل ${title(s)}: موقف منظمتك يحتاج إلى مراجعة`,
      decisionTaken: (s) => `القرار بشأن ${title(s)}: ${s.outcome === 'adopted' ? 'اعتُمد' : 'لم يُعتمد'}`,
      decisionExecuted: (s) => `نُفّذ القرار بشأن ${title(s)}`,
      executionFailed: (s) => `تعذّر تنفيذ القرار بشأن ${title(s)}`,
      budgetLineChanged: () => 'تغيّر بند في الميزانية تتابعه',
      questionAnswered: () => 'أُجيب عن سؤال في الميزانية طرحته أو تتابعه',
      confirmationWaiting: () => 'شخص ينتظر أن تؤكده منظمتك ممثلًا لها',
      undecidedReminder: (s) => `تذكير: لم تتخذ منظمتك موقفًا بعد بشأن ${title(s)}`,
      mentioned: (s) => `ذُكر اسمك في تعليق على ${title(s)}`,
      checkInOpened: () => 'جولة مراجعة لشراكة مفتوحة: مطلوب ردّ منظمتك',
      actionDue: (s) => `إجراء في الشراكة وافقت عليه منظمتك يحين موعده في ${String(s.dueDate)}`,
      actionOverdue: (s) => `إجراء في الشراكة كان موعده ${String(s.dueDate)} ولم يُنجز ولم يُلغَ بعد`,
    },
    open: 'افتحه في Concord',
    settings: 'اختر الرسائل التي تصلك',
    unsubscribe: 'إيقاف هذه الرسائل',
    digest: 'ملخصك من Concord',
    greeting: 'مرحبًا',
    calendarName: 'Concord: المواعيد النهائية والقرارات',
    feedbackEnds: 'إغلاق الملاحظات',
    decision: 'القرار',
    feedbackEndsAt: 'تُغلق الملاحظات',
  },
};

export function wordsFor(language: string): Words {
  return words[(language in words ? language : 'en') as MailLanguage];
}
