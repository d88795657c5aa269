// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Locale } from '$lib/paraglide/runtime';
import type { SignedInPerson } from '$lib/server/session';

declare global {
  namespace App {
    interface Locals {
      locale: Locale;
      /** The person behind the session cookie, or null when signed out (or the API can't say). */
      person: SignedInPerson | null;
      /** The reader's time zone (IANA name; UTC until their browser has said). */
      timeZone: string;
    }
    interface Error {
      message: string;
    }
  }
}
