// Timestamps as Discord shows them: "Today at 14:03", "Yesterday at …", or the date; and lengths ("1:05").

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const date = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: '2-digit', day: '2-digit' });
const long = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });

function startOfDay(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

export function shortTime(iso: string): string {
  return time.format(new Date(iso));
}

export function friendlyTime(iso: string): string {
  const d = new Date(iso);
  const days = Math.round((startOfDay(new Date()) - startOfDay(d)) / 86_400_000);
  if (days === 0) return `Today at ${time.format(d)}`;
  if (days === 1) return `Yesterday at ${time.format(d)}`;
  return `${date.format(d)} ${time.format(d)}`;
}

export function longTime(iso: string): string {
  return long.format(new Date(iso));
}

export function dayLabel(iso: string): string {
  return day.format(new Date(iso));
}

export function sameDay(a: string, b: string): boolean {
  return startOfDay(new Date(a)) === startOfDay(new Date(b));
}

/** A length in seconds as minutes and seconds: "0:07", "4:59". */
export function clock(seconds: number): string {
  const whole = Number.isFinite(seconds) ? Math.max(0, Math.floor(seconds)) : 0;
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
