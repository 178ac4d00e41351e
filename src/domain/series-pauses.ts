/** A pause of a series: local dates, both inclusive. */
export interface SeriesPauseDates {
  from: string;
  to: string;
}

/** Whether a local date lies inside one of the pauses (inclusive). */
export function inPause(pauses: readonly SeriesPauseDates[] | undefined, localDate: string): boolean {
  return pauses !== undefined && pauses.some((p) => p.from <= localDate && localDate <= p.to);
}
