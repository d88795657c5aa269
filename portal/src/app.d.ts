// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Locale } from '$lib/paraglide/runtime';
import type { Reply } from '$lib/server/api';
import type { SignedInPerson } from '$lib/server/session';

declare global {
  namespace App {
    interface Locals {
      locale: Locale;
      /** The person behind the session cookie, or null when signed out (or the API can't say). */
      person: SignedInPerson | null;
      /** The person's notification settings (null when signed out, without a role, or unknown). */
      settings: Reply<'notificationSettings'> | null;
      /** The zone times are shown in (IANA name): the saved one, else the browser's, else UTC. */
      timeZone: string;
    }
    interface Error {
      message: string;
    }
  }
}
