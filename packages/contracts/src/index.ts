/**
 * @concord/contracts: the zod schemas of Concord's HTTP API and live feed, shared by the services and the
 * portal. The route table (`routes`) is the one list of operations: the server registers it, OpenAPI is
 * generated from it, and the authorization matrix and fuzz tests walk it.
 */
export * from './attachments.ts';
export * from './auth.ts';
export * from './calendar.ts';
export * from './commands.ts';
export * from './live.ts';
export * from './log.ts';
export * from './notifications.ts';
export * from './partnerships.ts';
export * from './primitives.ts';
export * from './problem.ts';
export * from './queries.ts';
export * from './route.ts';
export * from './routes.ts';
