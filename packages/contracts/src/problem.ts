import { z } from 'zod';

/**
 * Every error is an RFC 9457 problem (`application/problem+json`): a stable `code` from the API's one
 * catalogue, a `title` a member understands, and facts for the screen in `details`.
 */
export const problemSchema = z
  .object({
    type: z.string().describe('a URI naming the problem: /api/problems#CODE'),
    title: z.string().describe('what went wrong, in words a member understands'),
    status: z.int(),
    code: z.string().describe('a stable code: clients and translations key on it'),
    detail: z.string().optional(),
    instance: z.string().optional().describe('the request path'),
    requestId: z.string().optional(),
    correlationId: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional().describe('facts for the screen (ids, amounts)'),
    issues: z
      .array(z.object({ location: z.string(), path: z.string(), message: z.string() }))
      .optional()
      .describe('what was wrong with the request, field by field'),
  })
  .meta({ id: 'Problem', description: 'an error, as application/problem+json' });
export type Problem = z.infer<typeof problemSchema>;
