import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  kit: {
    // `build/handler.js` is the Node middleware the single process mounts (server-mount.ts);
    // `build/index.js` runs the portal standalone. Static assets are precompressed (gzip + brotli).
    // adapter-node's settings are read from CONCORD_PORTAL_* (CONCORD_PORTAL_PORT, _ORIGIN, …) so they
    // never collide with the API's PORT/HOST in the single process.
    adapter: adapter({ out: 'build', precompress: true, envPrefix: 'CONCORD_PORTAL_' }),
    // On slow links every request costs seconds of latency: the one small stylesheet goes inline,
    // so the first paint never waits for a second round trip. (~19 KB minified, ~4 KB gzipped, since
    // the phone layout: tables as cards, the decision summary, the stance bar.)
    inlineStyleThreshold: 24_576,
    // Nothing but our own scripts and styles (SvelteKit adds nonces/hashes for what it inlines).
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        // + the one style attribute SvelteKit writes itself: its route announcer (a visually hidden
        // live region that tells screen readers a client-side navigation happened).
        'style-src': ['self', 'unsafe-hashes', 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='],
        'img-src': ['self', 'data:'],
        'font-src': ['self'],
        'connect-src': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
        'base-uri': ['self'],
        'object-src': ['none'],
      },
    },
  },
  compilerOptions: {
    runes: true,
  },
};

export default config;
