import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** A random secret for a cookie or a link (256 bits, URL-safe). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored of a secret: its SHA-256, so a database leak gives no usable session or link. */
export function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** argon2id cost; the defaults follow OWASP's recommendation (19 MiB, 2 passes). Tests lower them. */
export interface PasswordCost {
  memoryCost: number;
  timeCost: number;
}

export const defaultPasswordCost: PasswordCost = { memoryCost: 19_456, timeCost: 2 };

export class Passwords {
  #dummy: Promise<string> | undefined;
  constructor(private readonly cost: PasswordCost = defaultPasswordCost) {}

  /** An argon2id hash (the library's default algorithm) in PHC format. */
  hash(password: string): Promise<string> {
    return hash(password, { memoryCost: this.cost.memoryCost, timeCost: this.cost.timeCost, parallelism: 1 });
  }

  async verify(storedHash: string | null, password: string): Promise<boolean> {
    // An unknown address costs as much as a wrong password, so timing does not tell which addresses exist.
    this.#dummy ??= this.hash('not a password of anyone');
    const target = storedHash ?? (await this.#dummy);
    try {
      return (await verify(target, password)) && storedHash !== null;
    } catch {
      return false;
    }
  }
}
