import { z } from 'zod';
import { budgetCommandSchema } from './budget/commands.ts';
import { charterCommandSchema } from './charter/commands.ts';
import { grantCallCommandSchema } from './grant/commands.ts';
import { historyCommandSchema } from './history/commands.ts';
import { logCommandSchema } from './log/commands.ts';
import { memberCommandSchema } from './member/commands.ts';
import { partnershipCommandSchema } from './partnership/commands.ts';
import { personCommandSchema } from './person/commands.ts';
import { proposalCommandSchema } from './proposal/commands.ts';
import { type AggregateName, streamIdFor } from './streams.ts';
import { workingGroupCommandSchema } from './working-group/commands.ts';

/** Every command of the domain, by aggregate. */
export const commandSchemasByAggregate = {
  charter: charterCommandSchema,
  member: memberCommandSchema,
  workingGroup: workingGroupCommandSchema,
  budget: budgetCommandSchema,
  grantCall: grantCallCommandSchema,
  proposal: proposalCommandSchema,
  person: personCommandSchema,
  history: historyCommandSchema,
  log: logCommandSchema,
  partnership: partnershipCommandSchema,
} as const satisfies Record<AggregateName, unknown>;

/** One discriminated union of all commands: `{ type, actor, now, ... }`. */
export const domainCommandSchema = z.discriminatedUnion('type', [
  ...charterCommandSchema.options,
  ...memberCommandSchema.options,
  ...workingGroupCommandSchema.options,
  ...budgetCommandSchema.options,
  ...grantCallCommandSchema.options,
  ...proposalCommandSchema.options,
  ...personCommandSchema.options,
  ...historyCommandSchema.options,
  ...logCommandSchema.options,
  ...partnershipCommandSchema.options,
]);
/**
 * A command as callers build it: fields with a default (an optional reason, say) may be left out; the
 * decider reads it through its schema, which fills them in.
 */
export type DomainCommand = z.input<typeof domainCommandSchema>;
export type CommandType = DomainCommand['type'];

const aggregateByCommandType = new Map<string, AggregateName>(
  Object.entries(commandSchemasByAggregate).flatMap(([aggregate, union]) =>
    union.options.map((option) => [option.shape.type.value, aggregate as AggregateName] as const),
  ),
);

/** The aggregate a command is decided by. */
export function aggregateOf(command: DomainCommand): AggregateName {
  return aggregateByCommandType.get(command.type) as AggregateName;
}

/** The command field that names the aggregate instance a command targets; null for a singleton stream. */
const instanceIdField = {
  charter: null,
  member: 'organizationId',
  workingGroup: 'groupId',
  budget: 'budgetId',
  grantCall: 'grantCallId',
  proposal: 'proposalId',
  person: 'personId',
  history: null,
  log: null,
  partnership: 'partnershipId',
} as const satisfies Record<AggregateName, string | null>;

/** The stream a command targets: load it, fold it, decide, append with the expected version. */
export function streamIdForCommand(command: DomainCommand): string {
  const aggregate = aggregateOf(command);
  const field = instanceIdField[aggregate];
  const streamIdOf = streamIdFor[aggregate] as (instanceId?: string) => string;
  return field === null ? streamIdOf() : streamIdOf((command as unknown as Record<string, string>)[field]);
}
