import type { ClientInit } from '@sveltejs/kit';
import { baseLocale, overwriteGetLocale, toLocale } from '$lib/paraglide/runtime';

/**
 * The browser never works out the language on its own: it uses the one the server rendered
 * (`<html lang>`), so hydration always agrees with the HTML and no detection code ships.
 */
export const init: ClientInit = () => {
  const rendered = toLocale(document.documentElement.lang) ?? baseLocale;
  overwriteGetLocale(() => rendered);
};
