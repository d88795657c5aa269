/** The local date (YYYY-MM-DD) and hour (0–23) of `at` in an IANA time zone. */
export function localTime(at: Date, timeZone: string): { date: string; hour: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

/** Whether a person's digest is due at `at`: their hour has come today and today's was not sent. */
export function digestDue(
  at: Date,
  settings: { time_zone: string; digest_hour: number; last_digest_on: string | null },
): string | null {
  const local = localTime(at, settings.time_zone);
  if (local.hour < settings.digest_hour || settings.last_digest_on === local.date) return null;
  return local.date;
}
