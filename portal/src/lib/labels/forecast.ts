// The outcome forecast in words: what the domain's computed outcome (`forecastOutcome`) says will happen
// to an open proposal if nobody changes their stance. Relative imports (not $lib): unit-tested as is.
import type { Forecast } from '@concord/domain';
import { formatDateTime } from '../format.ts';
import { m } from '../paraglide/messages.js';
import type { Locale } from '../paraglide/runtime.js';

export interface ForecastWords {
  locale: Locale;
  timeZone: string;
  /** An organization's name from its id (blocks are named, never shown as ids). */
  name: (organizationId: string) => string;
}

/** One sentence for the forecast, in the reader's language and time zone. */
export function forecastText(forecast: Forecast, { locale, timeZone, name }: ForecastWords): string {
  const options = { locale };
  const when = (iso: string) => formatDateTime(iso, locale, { timeZone, dateStyle: 'long' });
  switch (forecast.kind) {
    case 'everyoneHasSpoken':
      return forecast.at
        ? m.forecast_everyone_at({ when: when(forecast.at) }, options)
        : m.forecast_everyone_now({}, options);
    case 'adoptedAtWindowEnd':
      return m.forecast_adopted_at({ when: when(forecast.at) }, options);
    case 'adoptable':
      return m.forecast_adoptable({}, options);
    case 'quorumMissing':
      return m.forecast_quorum({ needed: forecast.needed, when: when(forecast.at) }, options);
    case 'blocked': {
      const members = new Intl.ListFormat(locale, { type: 'conjunction' }).format(
        forecast.by.map((id) => `\u2068${name(id)}\u2069`),
      );
      return forecast.secondRound
        ? m.forecast_blocked_second_round({ members }, options)
        : m.forecast_blocked({ members }, options);
    }
  }
}
