import { z } from 'zod';
import { actorSchema } from './actor.ts';
import { timestampSchema } from './primitives.ts';

/** Builds a command schema: `{ type, actor, now, ...fields }`. */
export function commandSchema<const Type extends string, Shape extends z.ZodRawShape>(
  type: Type,
  description: string,
  shape: Shape,
) {
  return z
    .object({ type: z.literal(type), actor: actorSchema, now: timestampSchema, ...shape })
    .describe(description);
}

/** Builds an event schema: `{ type, data: { ...fields, at } }`, `at` being the command's time. */
export function eventSchema<const Type extends string, Shape extends z.ZodRawShape>(
  type: Type,
  description: string,
  shape: Shape,
) {
  return z
    .object({
      type: z.literal(type),
      data: z.object({ ...shape, at: timestampSchema.describe("the command's time") }),
    })
    .describe(description);
}
