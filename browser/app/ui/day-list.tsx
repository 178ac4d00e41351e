// A week's entries by day, in time order: the member's week and the coach's share it.
import type { ComponentChildren } from 'preact';
import { byDay, dayLabel, rangeLabel } from '../time';

export interface DayEntry { key: string; start: string; end: string; state: string; content: ComponentChildren }

export function DayList({ entries, zone }: { entries: DayEntry[]; zone: string }) {
  const sorted = [...entries].sort((a, b) => a.start.localeCompare(b.start) || a.key.localeCompare(b.key));
  return (
    <>
      {[...byDay(sorted, (entry) => entry.start, zone)].map(([day, list]) => (
        <section key={day} data-date={day} class="day" aria-label={dayLabel(list[0].start, zone)}>
          <h2>{dayLabel(list[0].start, zone)}</h2>
          <ul class="items">
            {list.map((entry) => (
              <li key={entry.key} class="item" data-item={entry.key} data-state={entry.state}>
                <span class="when">{rangeLabel(entry.start, entry.end, zone)}</span>
                {entry.content}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
