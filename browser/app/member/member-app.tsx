import { useSubscription } from '@urql/preact';
import { EnrollmentChangedDocument, SessionChangedDocument, type PersonFragment } from '../generated/graphql';
import { useRoute } from '../route';
import { SeriesList } from '../series/series-list';
import { Shell } from '../ui/shell';
import { Account } from './account';
import { Book } from './book';
import { Classes } from './classes';
import { MyWeek } from './my-week';

const TABS = [
  { path: 'week', label: 'My week' },
  { path: 'book', label: 'Book' },
  { path: 'classes', label: 'Classes' },
  { path: 'series', label: 'My series' },
  { path: 'account', label: 'Account' },
];

export function MemberApp({ me, onSignOut }: { me: PersonFragment; onSignOut(): void }) {
  // The member's own sessions and places, live: the cache updates every view showing them.
  useSubscription({ query: SessionChangedDocument });
  useSubscription({ query: EnrollmentChangedDocument });
  const [view = 'week'] = useRoute();
  return (
    <Shell name={me.name} role="Member" tabs={TABS} current={view} onSignOut={onSignOut}>
      {view === 'book' ? <Book me={me} />
        : view === 'classes' ? <Classes me={me} />
        : view === 'series' ? <SeriesList me={me} title="My series" />
        : view === 'account' ? <Account me={me} />
        : <MyWeek me={me} />}
    </Shell>
  );
}
