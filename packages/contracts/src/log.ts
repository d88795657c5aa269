import { verifierKeySchema } from '@concord/domain';
import { z } from 'zod';
import { commandResultSchema } from './commands.ts';
import { idParam, positionQuery, text } from './primitives.ts';
import { route } from './route.ts';

const iso = z.string().describe('an ISO-8601 instant');
const base64Hash = z.string().describe('32 bytes, standard base64');

/** A cosignature line the log holds: which organization's witness cosigned which checkpoint, and when. */
export const cosignatureViewSchema = z
  .object({
    organizationId: z.string(),
    keyName: z.string(),
    size: z.int().describe('the size of the checkpoint it cosigned'),
    cosignedAt: iso.describe(
      'the time in the cosignature (whole seconds): as of then the witness saw no other history',
    ),
    receivedAt: iso,
  })
  .meta({ id: 'Cosignature' });

/** Where the witnessed log stands (ADR 0009): for the audit page and for witnesses setting up. */
export const logStateSchema = z
  .object({
    origin: z.string().describe('the log origin, first line of every checkpoint'),
    logKey: z.string().describe('the verifier key checkpoints are signed with now'),
    logKeys: z.array(z.string()).describe('every key the instance published, oldest first (LogKeyPublished)'),
    size: z.int().describe('events in the log now'),
    checkpoint: z
      .object({
        size: z.int(),
        root: base64Hash,
        signedAt: iso
          .nullable()
          .describe(
            "when the server signed it, by its own clock (not part of the signed note: the witnesses' times are)",
          ),
        note: z.string().describe('the signed note, cosignatures included'),
      })
      .nullable()
      .describe('the latest signed checkpoint'),
    cosignatures: z.array(cosignatureViewSchema).describe('the latest cosignature of each witness key'),
    witnessKeys: z
      .array(z.object({ organizationId: z.string(), keyName: z.string(), witnessKey: z.string() }))
      .describe('the witness keys in force, of member organizations'),
  })
  .meta({ id: 'LogState' });

export const inclusionQuery = z.strictObject({
  position: positionQuery.describe("the event's global position"),
  size: positionQuery.optional().describe('the tree size (a checkpoint); the latest checkpoint by default'),
});

export const inclusionProofSchema = z
  .object({
    position: z.int(),
    index: z.int().describe('the leaf index: the event is the index-th in global order, from 0'),
    size: z.int(),
    leafHash: base64Hash,
    proof: z.array(base64Hash).describe('RFC 9162 inclusion proof, bottom up'),
  })
  .meta({ id: 'InclusionProof' });

export const consistencyQuery = z.strictObject({
  from: positionQuery.describe('the smaller tree size'),
  to: positionQuery.optional().describe('the larger tree size; the latest checkpoint by default'),
});

export const consistencyProofSchema = z
  .object({ from: z.int(), to: z.int(), proof: z.array(base64Hash).describe('RFC 9162 consistency proof') })
  .meta({ id: 'ConsistencyProof' });

/** A C2SP tlog-cosignature line: `— <name> <base64(key id ‖ timestamp ‖ signature)>` (at most ~300 bytes). */
export const cosignatureBody = z
  .strictObject({
    size: z.int().min(0).max(Number.MAX_SAFE_INTEGER).describe('the size of the checkpoint cosigned'),
    cosignature: z
      .string()
      .max(400)
      .regex(
        /^\u2014 [!-*,-~]{1,200} [A-Za-z0-9+/]{100,120}={0,2}\n?$/,
        'one cosignature line: "— name base64"',
      )
      .describe('the cosignature line, as `concord witness` makes it'),
  })
  .meta({ id: 'CosignatureRequest' });

export const cosignatureResultSchema = cosignatureViewSchema.meta({ id: 'CosignatureAccepted' });

const reason = text
  .max(2_000)
  .nullable()
  .default(null)
  .describe('why, in your own words (optional, recorded)');

export const witnessKeyBody = z.strictObject({ witnessKey: verifierKeySchema('witness') }).meta({
  id: 'WitnessKeyRequest',
  description: 'the public verifier key `concord witness --new-key` printed',
});

export const revokeWitnessKeyBody = z
  .strictObject({ witnessKey: verifierKeySchema('witness'), reason })
  .meta({ id: 'RevokeWitnessKeyRequest' });

const organizationParams = z.strictObject({ organizationId: idParam });

/** The witnessed log: checkpoints, proofs, witnesses' cosignatures and keys (ADR 0009). */
export const logRoutes = {
  logState: route({
    method: 'GET',
    path: '/api/log',
    summary: 'The witnessed log: its keys, size, latest checkpoint, and which organizations cosigned when',
    tag: 'audit',
    access: 'reader',
    status: 200,
    response: logStateSchema,
  }),
  logCheckpoint: route({
    method: 'GET',
    path: '/api/log/checkpoint',
    summary: 'The latest signed checkpoint with its cosignatures (a C2SP signed note, text)',
    description:
      'The checkpoint (origin, size, root) signed with the instance key, followed by every witness cosignature received for it. Byte for byte as docs/verification.md §3–5 describe.',
    tag: 'audit',
    access: 'reader',
    status: 200,
    contentType: 'text/plain; charset=utf-8',
    response: z.string().describe('the signed note'),
  }),
  logInclusionProof: route({
    method: 'GET',
    path: '/api/log/proofs/inclusion',
    summary: 'Proof that the event at a position is in the tree of a checkpoint',
    tag: 'audit',
    access: 'reader',
    querystring: inclusionQuery,
    status: 200,
    response: inclusionProofSchema,
  }),
  logConsistencyProof: route({
    method: 'GET',
    path: '/api/log/proofs/consistency',
    summary: 'Proof that the tree of one size is a prefix of the tree of a larger size',
    tag: 'audit',
    access: 'reader',
    querystring: consistencyQuery,
    status: 200,
    response: consistencyProofSchema,
  }),
  requestCheckpoint: route({
    method: 'POST',
    path: '/api/log/checkpoints',
    summary: 'Sign a checkpoint of the log now',
    description:
      'Checkpoints are signed at least every minute while events arrive; this one is signed at once.',
    tag: 'audit',
    access: 'actor',
    body: z.strictObject({}).optional(),
    status: 201,
    response: z.object({ size: z.int(), note: z.string() }).meta({ id: 'SignedCheckpoint' }),
  }),
  postCosignature: route({
    method: 'POST',
    path: '/api/log/cosignatures',
    summary: "Hand in your organization's witness cosignature of a checkpoint",
    description:
      'Accepted only from a witness key your organization registered and has not revoked, and only when it verifies against the checkpoint of that size. `concord witness` sends it after checking that the checkpoint extends the last one it cosigned.',
    tag: 'audit',
    access: 'actor',
    body: cosignatureBody,
    status: 200,
    response: cosignatureResultSchema,
  }),
  registerWitnessKey: route({
    method: 'POST',
    path: '/api/members/:organizationId/witness-keys',
    summary: "Register the public key of your organization's witness",
    description:
      'Only the public key: the private key stays on your machine. Recorded as WitnessKeyRegistered.',
    tag: 'members',
    access: 'actor',
    command: 'RegisterWitnessKey',
    idempotent: true,
    params: organizationParams,
    body: witnessKeyBody,
    status: 200,
    response: commandResultSchema,
  }),
  revokeWitnessKey: route({
    method: 'POST',
    path: '/api/members/:organizationId/witness-keys/revocations',
    summary: "Revoke a public key of your organization's witness",
    tag: 'members',
    access: 'actor',
    command: 'RevokeWitnessKey',
    idempotent: true,
    params: organizationParams,
    body: revokeWitnessKeyBody,
    status: 200,
    response: commandResultSchema,
  }),
} as const;
