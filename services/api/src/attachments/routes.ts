import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Principal } from '../auth/service.ts';
import { ProblemError } from '../errors.ts';
import { sendProblem, toProblem } from '../plugins/problems.ts';
import { registerRoute } from '../routing.ts';
import { ATTACHMENT_TYPES, bytesMatch, declaredMediaType } from './media-types.ts';
import { DAILY_UPLOADS_IN_DOCUMENTS } from './plugin.ts';

const DAY_MS = 86_400_000;

/** A downloaded document may run nothing and load nothing, even if a browser were to render it. */
export const ATTACHMENT_CSP = "sandbox; default-src 'none'";

const byPerson = (request: FastifyRequest) => request.principal?.personId ?? request.ip;

/**
 * Upload and download of documents, in a scope of their own: here, and only here, a request body is raw
 * bytes of any declared type (read up to the size limit and no further), and a body over the limit is
 * `ATTACHMENT_TOO_LARGE` rather than the server's generic 413.
 */
async function attachmentRoutesPlugin(app: FastifyInstance): Promise<void> {
  const { attachments } = app;
  const limit = attachments.maxBytes;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limit }, (_request, body, done) =>
    done(null, body),
  );
  app.setErrorHandler((error, request, reply) => {
    const code = (error as { code?: string }).code;
    const problem =
      code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? new ProblemError('ATTACHMENT_TOO_LARGE', { details: { maxBytes: limit } })
        : toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: problem.code, status: problem.status }, 'request refused');
    // What is left of a body too large is not read: the connection closes after the answer.
    if (problem.code === 'ATTACHMENT_TOO_LARGE') reply.header('connection', 'close');
    return sendProblem(request, reply, problem);
  });

  registerRoute(
    app,
    'uploadAttachment',
    async ({ request }) => {
      const bytes = request.body;
      if (!(bytes instanceof Uint8Array) || bytes.byteLength === 0)
        throw new ProblemError('ATTACHMENT_EMPTY');
      const declared = declaredMediaType(request.headers['content-type']);
      if (!(await bytesMatch(bytes, declared))) {
        throw new ProblemError('ATTACHMENT_TYPE_REFUSED', {
          details: { declared, allowed: Object.keys(ATTACHMENT_TYPES) },
        });
      }
      const { personId } = request.principal as Principal;
      const now = app.clock();
      const allowance = DAILY_UPLOADS_IN_DOCUMENTS * limit;
      const uploaded = await attachments.store.uploadedSince(personId, new Date(now.getTime() - DAY_MS));
      if (uploaded + bytes.byteLength > allowance) {
        throw new ProblemError('ATTACHMENT_ALLOWANCE_USED', { details: { bytesPerDay: allowance } });
      }
      const { ref, created } = await attachments.store.save({
        bytes,
        mediaType: declared as string,
        personId,
        now,
      });
      return { status: created ? 201 : 200, body: ref };
    },
    { bodyLimit: limit, rateLimit: { max: 60, timeWindow: 60_000, keyGenerator: byPerson } },
  );

  registerRoute(
    app,
    'downloadAttachment',
    async ({ params, principal, reply }) => {
      // Unknown and not yours to read are the same answer: nobody learns a document exists.
      if (!(await attachments.mayRead(principal, params.sha256)))
        throw new ProblemError('RESOURCE_NOT_FOUND');
      const stored = await attachments.store.read(params.sha256);
      if (!stored) throw new ProblemError('RESOURCE_NOT_FOUND');
      const extension = ATTACHMENT_TYPES[stored.mediaType] ?? 'bin';
      reply
        .type(stored.mediaType)
        .header('content-disposition', `attachment; filename="${stored.sha256.slice(0, 12)}.${extension}"`)
        .header('content-security-policy', ATTACHMENT_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private');
      return { body: stored.bytes };
    },
    { rateLimit: { max: 300, timeWindow: 60_000, keyGenerator: byPerson } },
  );
}

/** The routes, in a scope of their own (their body parsing stays here). */
export const attachmentRoutes = fp(attachmentRoutesPlugin, {
  name: 'concord-attachment-routes',
  dependencies: ['concord-problems', 'concord-auth', 'concord-docs', 'concord-attachments'],
  encapsulate: true,
});
