// Which year the home form offers first. In early January the year that just ended is the one people
// want charted (it is the year-in-review season); the new year holds only a few days of plays.
import { currentYear } from "./year-window";

/** Days into January during which the form still offers last year. */
export const LAST_YEAR_DAYS = 21;

export function defaultFormYear(now = new Date()): number {
  const year = currentYear(now);
  const isEarlyJanuary = now.getUTCMonth() === 0 && now.getUTCDate() <= LAST_YEAR_DAYS;
  return isEarlyJanuary ? year - 1 : year;
}
