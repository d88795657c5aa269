import {
  type Access,
  idempotencyKey,
  problemSchema,
  type RequestOf,
  type RouteContract,
  type RouteId,
  routes,
} from '@concord/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { z } from 'zod';
import type { Principal } from './auth/service.ts';
import { ProblemError } from './errors.ts';
import { withIdempotency } from './idempotency.ts';

/** What a handler answers: a status (the route's success status by default) and a body. */
export interface Answer {
  status?: number;
  body?: unknown;
  /**
   * Resolves once what the answer reports can be read back (a command's read-your-writes wait); the answer
   * is sent after it, and bookkeeping such as the idempotency record is written meanwhile. Never rejects.
   */
  settled?: Promise<unknown>;
}

export interface HandlerInput<Contract extends RouteContract> extends RequestOf<Contract> {
  principal: Principal | null;
  request: FastifyRequest;
  reply: FastifyReply;
}

export type Handler<Contract extends RouteContract> = (input: HandlerInput<Contract>) => Promise<Answer>;

/** The handler of each route id; a route without one is a type error where the table is registered. */
export type Handlers<Ids extends RouteId> = { [Id in Ids]: Handler<(typeof routes)[Id]> };

/** Refuses a request whose person may not call a route of `access` (401 before anything is parsed). */
export function checkAccess(access: Access, principal: Principal | null): void {
  if (access === 'public') return;
  if (!principal) throw new ProblemError('UNAUTHENTICATED');
  if (access === 'session') return;
  if (principal.role === 'none') throw new ProblemError('NO_ROLE');
  // A partner's person takes part in their partnerships and sees nothing else of the coalition's.
  if (principal.role === 'partner' && access !== 'partnership') throw new ProblemError('PARTNER_NOT_ALLOWED');
  if (access === 'reader' || access === 'partnership') return;
  if (access === 'facilitator') {
    if (principal.role !== 'facilitator') throw new ProblemError('FACILITATORS_ONLY');
    return;
  }
  if (principal.role === 'auditor') throw new ProblemError('AUDITOR_READ_ONLY');
}

const idempotencyHeaders = z.looseObject({ 'idempotency-key': idempotencyKey.optional() });

function responses(contract: RouteContract) {
  const success = contract.response ?? z.null().describe('no content');
  return { [contract.status]: success, '4XX': problemSchema, '5XX': problemSchema };
}

/**
 * Registers one route of the contract table: schemas for validation and OpenAPI, the access check in
 * `onRequest` (who is asking, before the body is even parsed), idempotency for routes that change
 * something, then the handler.
 */
export function registerRoute<Id extends RouteId>(
  app: FastifyInstance,
  id: Id,
  handler: Handler<(typeof routes)[Id]>,
  config: Record<string, unknown> = {},
): void {
  const contract: RouteContract = routes[id];
  // A route's own body limit (smaller than the server's) is a route option, not route config.
  const { bodyLimit, ...routeConfig } = config;
  const options: RouteOptions = {
    method: contract.method,
    url: contract.path,
    ...(typeof bodyLimit === 'number' ? { bodyLimit } : {}),
    config: { ...routeConfig, routeId: id } as RouteOptions['config'],
    schema: {
      summary: contract.summary,
      description: contract.description,
      tags: [contract.tag],
      operationId: id,
      hide: contract.hidden,
      ...(contract.params ? { params: contract.params } : {}),
      ...(contract.querystring ? { querystring: contract.querystring } : {}),
      ...(contract.body ? { body: contract.body } : {}),
      ...(contract.idempotent ? { headers: idempotencyHeaders } : {}),
      ...(contract.hidden ? {} : { response: responses(contract) }),
      // Every operation says how it is called: a session cookie, or nothing (public routes say so too).
      security: contract.access === 'public' ? [] : [{ session: [] }],
    } as RouteOptions['schema'],
    onRequest: async (request) => checkAccess(contract.access, request.principal),
    // A route that takes a body takes `{}` when none was sent, so a missing body reads as missing fields.
    preValidation: async (request) => {
      if (
        contract.body &&
        (request.body === undefined || request.body === null) &&
        request.headers['content-type'] === undefined
      ) {
        request.body = {};
      }
    },
    handler: async (request, reply) => {
      const input = {
        params: request.params,
        query: request.query,
        body: request.body,
        principal: request.principal,
        request,
        reply,
      } as HandlerInput<(typeof routes)[Id]>;
      const run = () => handler(input);
      const answer =
        contract.idempotent && request.principal
          ? await withIdempotency(request, reply, id, contract.status, run)
          : await run();
      if (answer === undefined) return reply;
      await answer.settled;
      const status = answer.status ?? contract.status;
      reply.code(status);
      if (status === 204 || answer.body === undefined) return reply.send();
      if (contract.contentType && typeof answer.body === 'string') {
        if (!reply.hasHeader('content-type')) reply.type(contract.contentType);
        return reply.send(answer.body);
      }
      return reply.send(answer.body);
    },
  };
  app.route(options);
}
