import { redirect } from '@sveltejs/kit';
import { safeReturnPath } from '$lib/navigation';
import { cookieMaxAge, cookieName, isLocale } from '$lib/paraglide/runtime';
import type { RequestHandler } from './$types';

/** The language switcher's form posts here: remember the choice, go back to the same page. */
export const POST: RequestHandler = async ({ request, cookies, url }) => {
  const form = await request.formData();
  const locale = form.get('locale');
  if (typeof locale === 'string' && isLocale(locale)) {
    cookies.set(cookieName, locale, {
      path: '/',
      maxAge: cookieMaxAge,
      sameSite: 'lax',
      // A preference, not a secret; readable over plain http for the embedded install on a LAN.
      httpOnly: false,
      secure: url.protocol === 'https:',
    });
  }
  redirect(303, safeReturnPath(form.get('redirectTo')));
};
