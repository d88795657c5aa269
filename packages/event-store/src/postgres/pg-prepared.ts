import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';
import { isStaleStatement } from './driver.ts';

/** Statement texts named at most (per process; each connection parses a named one once). */
const MAX_NAMED = 200;
/** Runs of a text before it is named: a text built for one batch and never seen again is not. */
const NAME_AFTER = 2;
/** Texts counted while they wait to be named; the count starts over past it. */
const MAX_COUNTED = 5000;
/** Queries and writes; a schema change (a rebuild creating its indexes twice, say) is never worth a name. */
const NAMEABLE = /^\s*(select|insert|update|delete|with)\b/i;

/**
 * Which statement texts run as named prepared statements: those that recur (the command path's, the
 * projector's common batches), up to a bound, so the server parses and plans each once per connection.
 */
class StatementNames {
  readonly #named = new Map<string, string>();
  readonly #counted = new Map<string, number>();
  #generation = 0;

  nameOf(text: string): string | undefined {
    const named = this.#named.get(text);
    if (named || this.#named.size >= MAX_NAMED || !NAMEABLE.test(text)) return named;
    const runs = (this.#counted.get(text) ?? 0) + 1;
    if (runs < NAME_AFTER) {
      if (this.#counted.size >= MAX_COUNTED) this.#counted.clear();
      this.#counted.set(text, runs);
      return undefined;
    }
    this.#counted.delete(text);
    // A new generation after `forget`: a connection that still holds the old name never mixes them up.
    const digest = createHash('sha1').update(text).digest('hex').slice(0, 16);
    const name = `concord_${digest}_${++this.#generation}`;
    this.#named.set(text, name);
    return name;
  }

  forget(text: string): void {
    this.#named.delete(text);
  }
}

/**
 * A `pg` pool as Kysely's `PostgresDialect` takes it, whose recurring statements are named prepared
 * statements (ADR 0033). A named statement whose tables changed shape is dropped and the statement run
 * again unnamed when no transaction was open (inside one, the transaction has failed either way).
 */
export function preparingPool(pool: pg.Pool): PostgresPool {
  const names = new StatementNames();
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      const named = {
        async query<R>(text: string, values: readonly unknown[]): Promise<PostgresQueryResult<R>> {
          const run = (config: pg.QueryConfig) =>
            client.query(config) as unknown as Promise<PostgresQueryResult<R>>;
          const name = names.nameOf(text);
          if (!name) return run({ text, values: [...values] });
          try {
            return await run({ name, text, values: [...values] });
          } catch (error) {
            if (!isStaleStatement(error)) throw error;
            names.forget(text);
            if (client.getTransactionStatus() !== 'I') throw error;
            return run({ text, values: [...values] });
          }
        },
        release: (destroy?: boolean) => client.release(destroy),
      };
      // Kysely passes a cursor only when the dialect is given one (it is not).
      return named as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}
