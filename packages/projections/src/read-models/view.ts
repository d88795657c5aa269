import type { DomainEvent } from '@concord/domain';
import type { ProjectedEvent } from '../projector/decode.ts';
import type { Rows } from '../projector/unit-of-work.ts';

/** What changed in which view: the API pushes these to live clients after each committed batch. */
export type ViewChange =
  | { view: 'budget'; id: string }
  | { view: 'budgetLine'; id: string; budgetId: string }
  | { view: 'budgetQuestion'; id: string; budgetId: string }
  | { view: 'expense'; id: string; budgetId: string }
  | { view: 'proposal'; id: string }
  | { view: 'workingGroup'; id: string }
  | { view: 'member'; id: string }
  | { view: 'grantCall'; id: string }
  | { view: 'partnership'; id: string }
  | { view: 'charter'; id: 'charter' };

/** One key per changed thing (a line or question within its budget): how batches report each change once. */
export function viewChangeKey(change: ViewChange): string {
  return `${change.view}:${'budgetId' in change ? `${change.budgetId}/` : ''}${change.id}`;
}

export interface ApplyContext {
  readonly uow: Rows;
  change(change: ViewChange): void;
}

/**
 * A read model: which rows applying an event reads (declared first, so a whole batch loads them in one
 * query per table), and how the event changes them. Handlers only write through the unit of work.
 */
export interface View {
  readonly name: string;
  /** The event types this view handles (the projector calls it for no others). */
  readonly types: readonly DomainEvent['type'][];
  needs(event: ProjectedEvent, uow: Rows): void;
  apply(event: ProjectedEvent, context: ApplyContext): void;
  /**
   * Completes derived columns of the rows the batch wrote, once per batch. Must depend only on each
   * row's own final state, so the result does not depend on where batches begin and end.
   */
  finish?(uow: Rows): void;
}

export type EventOf<T extends DomainEvent['type']> = Extract<DomainEvent, { type: T }>;

/** An instant as the read models store it: ISO-8601 in UTC with milliseconds. */
export function iso(instant: string | Date): string {
  if (typeof instant === 'string' && instant.length === 24 && instant.endsWith('Z') && instant[10] === 'T') {
    return instant;
  }
  return (instant instanceof Date ? instant : new Date(instant)).toISOString();
}
