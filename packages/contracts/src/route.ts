import type { CommandType } from '@concord/domain';
import type { z } from 'zod';

/**
 * Who may call a route, as far as the API decides it (the domain then applies the governance rules:
 * recusal, deciding body, stewardship, who moves money):
 * - `public`: anyone;
 * - `session`: any signed-in person (their own account and sessions);
 * - `reader`: a signed-in person with a role: a representative, a facilitator or an auditor;
 * - `actor`: a representative or a facilitator (an auditor changes nothing);
 * - `facilitator`: facilitators only;
 * - `partnership`: a reader, or a partner organization's person (for their own partnerships only): the
 *   one kind of route a partner may call besides their own account's.
 */
export type Access = 'public' | 'session' | 'reader' | 'actor' | 'facilitator' | 'partnership';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One HTTP route: its address, who may call it, its schemas and the domain command it issues. */
export interface RouteContract {
  readonly method: HttpMethod;
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  readonly access: Access;
  /** The domain command the route issues, if any. */
  readonly command?: CommandType;
  /** Other commands it may issue instead (an invitation's acceptance records the one its invitation is for). */
  readonly alsoCommands?: readonly CommandType[];
  /** Whether it honours `Idempotency-Key` (every route that changes something on a person's behalf). */
  readonly idempotent?: boolean;
  readonly params?: z.ZodType;
  readonly querystring?: z.ZodType;
  readonly body?: z.ZodType;
  /** The success status and body (none for 204). */
  readonly status: number;
  readonly response?: z.ZodType;
  /** Not an API operation (HTML, metrics text): left out of the OpenAPI document. */
  readonly hidden?: boolean;
  /** The success body is not JSON. */
  readonly contentType?: string;
  /** The request body is raw bytes of one of these media types (an upload), not JSON. */
  readonly rawBody?: { readonly mediaTypes: readonly string[]; readonly description: string };
}

/** Declares a route, keeping its literal types for typed handlers. */
export function route<const Contract extends RouteContract>(contract: Contract): Contract {
  return contract;
}

type Infer<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined;

/** The validated parts of a request to `Contract`. */
export interface RequestOf<Contract extends RouteContract> {
  params: Infer<Contract['params']>;
  query: Infer<Contract['querystring']>;
  body: Infer<Contract['body']>;
}

/** The success body of `Contract`. */
export type ResponseOf<Contract extends RouteContract> = Contract['response'] extends z.ZodType
  ? z.input<Contract['response']>
  : undefined;
