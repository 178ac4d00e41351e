import { FieldResolver, Resolver, Root } from 'type-graphql';
import type { StudioSettingsView } from '../../services/billing.service';
import { waitlistView } from '../../services/waitlist-settings';
import { StudioSettings } from '../types/billing.type';
import { WaitlistPolicy } from '../types/waitlist-policy.type';

@Resolver(() => StudioSettings)
export class StudioSettingsResolver {
  @FieldResolver(() => WaitlistPolicy)
  waitlist(@Root() settings: StudioSettingsView) {
    return waitlistView(settings);
  }
}
