// The API signs people in by setting an httpOnly session cookie on its response. When the portal's
// server made the call, that Set-Cookie reached the portal, not the browser: relay it unchanged
// (same name, value and attributes), so the browser holds exactly the cookie the API issued.
import type { Cookies } from '@sveltejs/kit';

type CookieOptions = Parameters<Cookies['set']>[2];

export interface ParsedCookie {
  name: string;
  value: string;
  options: CookieOptions;
}

export function parseSetCookie(header: string): ParsedCookie | null {
  const [pair, ...attributes] = header.split(';');
  const eq = pair?.indexOf('=') ?? -1;
  if (!pair || eq <= 0) return null;
  const name = pair.slice(0, eq).trim();
  // Kept as sent (no decoding): relayed with an identity encoder, byte for byte.
  const value = pair.slice(eq + 1).trim();
  // Attributes the API leaves out take the browser's defaults, not SvelteKit's (which would add
  // `Secure` and `HttpOnly`): a plain-http embedded install must keep working.
  const options: CookieOptions = { path: '/', httpOnly: false, secure: false, sameSite: undefined };
  for (const attribute of attributes) {
    const [rawKey = '', ...rest] = attribute.split('=');
    const key = rawKey.trim().toLowerCase();
    const attrValue = rest.join('=').trim();
    if (key === 'path') options.path = attrValue || '/';
    else if (key === 'domain') options.domain = attrValue;
    else if (key === 'max-age') options.maxAge = Number(attrValue);
    else if (key === 'expires') options.expires = new Date(attrValue);
    else if (key === 'httponly') options.httpOnly = true;
    else if (key === 'secure') options.secure = true;
    else if (key === 'samesite') {
      const sameSite = attrValue.toLowerCase();
      if (sameSite === 'lax' || sameSite === 'strict' || sameSite === 'none') options.sameSite = sameSite;
    }
  }
  return { name, value, options };
}

/** Copies every Set-Cookie of an API response onto the portal's response. */
export function relaySetCookies(response: Response, cookies: Cookies): void {
  for (const header of response.headers.getSetCookie()) {
    const cookie = parseSetCookie(header);
    if (cookie) cookies.set(cookie.name, cookie.value, { ...cookie.options, encode: (v) => v });
  }
}
