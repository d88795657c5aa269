import { m } from '../paraglide/messages.js';
import { labeler } from './labeler.ts';

export const categoryLabel = labeler({
  coreCosts: m.category_core_costs,
  salaries: m.category_salaries,
  grants: m.category_grants,
  translation: m.category_translation,
  travel: m.category_travel,
  programmes: m.category_programmes,
  other: m.category_other,
});
