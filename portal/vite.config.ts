import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { paraglideOptions } from './paraglide.config.js';

export default defineConfig({
  plugins: [paraglideVitePlugin(paraglideOptions), sveltekit()],
  // The contracts, the read models' schemas they re-export (`@concord/projections/schemas`, zod only), the
  // domain (workspace TypeScript) and zod are bundled into the server build, so `build/` runs on its own.
  // The browser never gets them: only `import type` reaches client code.
  ssr: { noExternal: ['@concord/contracts', '@concord/projections', '@concord/domain', 'zod'] },
});
