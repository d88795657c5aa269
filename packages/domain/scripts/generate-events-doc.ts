// Writes docs/events.md (at the repository root) from the zod schemas of the domain.
import { writeFileSync } from 'node:fs';
import { eventCataloguePath, renderEventCatalogue } from './event-catalogue.ts';

writeFileSync(eventCataloguePath, renderEventCatalogue());
console.log(`wrote ${eventCataloguePath}`);
