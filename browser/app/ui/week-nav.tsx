import { addDays, shortDate } from '../time';

/** Seven days from `start`, with the weeks either side a keypress away. */
export function WeekNav({ start, today, onChange }: { start: string; today: string; onChange(start: string): void }) {
  return (
    <nav class="week-nav" aria-label="Week">
      <button type="button" class="secondary" onClick={() => onChange(addDays(start, -7))} aria-label="Previous week">‹</button>
      <span aria-live="polite">{shortDate(start)} – {shortDate(addDays(start, 6))}</span>
      <button type="button" class="secondary" onClick={() => onChange(addDays(start, 7))} aria-label="Next week">›</button>
      {start !== today && <button type="button" class="secondary" onClick={() => onChange(today)}>This week</button>}
    </nav>
  );
}
