// `node_modules/.bin/tsx portal/test/helpers/serve-demo.ts`: a seeded Concord (the demo coalition) on a free
// port, for looking at the pages by hand and for screenshots. Prints the URL and the demo's sign-ins.
import { startConcord } from './concord.ts';

const concord = await startConcord({ demo: true });
console.log(
  JSON.stringify({ url: concord.url, password: concord.demo?.password, people: concord.demo?.people }),
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void concord.stop().finally(() => process.exit(0)));
}
