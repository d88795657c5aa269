// One set of Paraglide compiler options for the Vite build and for `scripts/sync.mjs` (type checks).
// The inlang plugin is loaded from node_modules (see project.inlang/settings.json), never from a CDN.

/** @type {import('@inlang/paraglide-js').CompilerOptions} */
export const paraglideOptions = {
  project: './project.inlang',
  outdir: './src/lib/paraglide',
  // The server decides: the remembered choice (cookie), then the browser's languages, then English.
  // The client never detects: it reads the locale the server rendered (see src/hooks.client.ts).
  strategy: ['cookie', 'preferredLanguage', 'baseLocale'],
  cookieName: 'concord_locale',
  isServer: 'import.meta.env.SSR',
  // One module per message, always: pages then bundle only the strings they use. (The Vite plugin would
  // otherwise pick one module per locale whenever NODE_ENV isn't "production", e.g. a build started from
  // the tests, and every page would ship every string in four languages.)
  outputStructure: 'message-modules',
  emitReadme: false,
  emitPrettierIgnore: false,
};
