import { useSubscription } from '@urql/preact';
import { SessionChangedDocument, type PersonFragment } from '../generated/graphql';
import { useRoute } from '../route';
import { SeriesList } from '../series/series-list';
import { Shell } from '../ui/shell';
import { CoachWeek } from './coach-week';
import { Roster } from './roster';
import { TimeOff } from './time-off';
import { WeeklyHours } from './weekly-hours';

const TABS = [
  { path: 'week', label: 'My week' },
  { path: 'hours', label: 'Weekly hours' },
  { path: 'time-off', label: 'Extra hours and time off' },
  { path: 'series', label: 'Series' },
];

export function CoachApp({ me, onSignOut }: { me: PersonFragment; onSignOut(): void }) {
  useSubscription({ query: SessionChangedDocument });
  const [view = 'week', id] = useRoute();
  return (
    <Shell name={me.name} role="Coach" tabs={TABS} current={view === 'class' ? 'week' : view} onSignOut={onSignOut}>
      {view === 'class' && id ? <Roster me={me} id={id} />
        : view === 'hours' ? <WeeklyHours me={me} />
        : view === 'time-off' ? <TimeOff me={me} />
        : view === 'series' ? <SeriesList me={me} coachId={me.id} title="Series booked with me" />
        : <CoachWeek me={me} />}
    </Shell>
  );
}
