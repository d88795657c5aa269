import { m } from '$lib/paraglide/messages.js';

export function categoryLabel(category: string): string {
  switch (category) {
    case 'coreCosts':
      return m.category_core_costs();
    case 'salaries':
      return m.category_salaries();
    case 'grants':
      return m.category_grants();
    case 'translation':
      return m.category_translation();
    case 'travel':
      return m.category_travel();
    case 'programmes':
      return m.category_programmes();
    case 'other':
      return m.category_other();
    default:
      return category;
  }
}
