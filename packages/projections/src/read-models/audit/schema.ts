import { z } from 'zod';
import { decidingBodySchema, iso } from '../primitives.ts';

/** One event of the audit trail: where it is in the history, who did it, what it is about, a summary. */
export const auditEntrySchema = z
  .object({
    position: z.int(),
    eventId: z.string(),
    streamId: z.string(),
    streamPosition: z.int(),
    type: z.string(),
    recordedAt: iso.describe('when the store recorded the event'),
    occurredAt: iso.nullable().describe('the time the command carried'),
    actor: z.object({
      personId: z.string().nullable(),
      organizationId: z.string().nullable(),
      role: z.string().nullable(),
    }),
    organizationId: z.string().nullable().describe('the organization acting or concerned'),
    body: decidingBodySchema.nullable(),
    proposalId: z.string().nullable(),
    budgetId: z.string().nullable(),
    lineId: z.string().nullable(),
    groupId: z.string().nullable(),
    grantCallId: z.string().nullable(),
    summary: z.string(),
    hash: z.string(),
    data: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe(
        "the event's data as recorded (ids and values, the current shape of its type); null on entries projected before it was kept",
      ),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof auditEntrySchema>;
