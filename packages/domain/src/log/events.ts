import { z } from 'zod';
import { eventSchema } from '../shared/messages.ts';
import { verifierKeySchema } from './keys.ts';

export const logKeyPublishedSchema = eventSchema(
  'LogKeyPublished',
  "The instance's checkpoint-signing key was published; `replaces` names the key it succeeds (a rotation).",
  {
    keyName: z.string().describe('the key name, which is also the log origin'),
    publicKey: verifierKeySchema('log').describe('verifier key text: name+keyid+base64(0x01 || key)'),
    replaces: z.string().nullable().describe('the verifier key published before, if any'),
  },
);

/** Every event of the log aggregate (stream `log`). */
export const logEventSchema = z.discriminatedUnion('type', [logKeyPublishedSchema]);
export type LogEvent = z.infer<typeof logEventSchema>;
