import { z } from 'zod';
import { commandSchema } from '../shared/messages.ts';
import { verifierKeySchema } from './keys.ts';

/**
 * System only: the instance publishes the public key it signs checkpoints of the witnessed log with
 * (ADR 0009), on its first start and whenever the key changes (a rotation). Public data only: the
 * private key never enters the history.
 */
export const publishLogKeySchema = commandSchema(
  'PublishLogKey',
  'Publish the key the instance signs checkpoints with',
  { publicKey: verifierKeySchema('log') },
);

/** Every command of the log aggregate (stream `log`). */
export const logCommandSchema = z.discriminatedUnion('type', [publishLogKeySchema]);
export type LogCommand = z.infer<typeof logCommandSchema>;
