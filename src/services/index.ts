import { AuthService } from './auth.service';
import { AvailabilityService } from './availability.service';
import { BillingService } from './billing.service';
import { BookingSessionService } from './booking-session.service';
import { BookingService } from './booking.service';
import { CalendarFeedService } from './calendar-feed.service';
import { ClassQueryService } from './class-query.service';
import { ClassScheduleService } from './class-schedule.service';
import { ClassSessionService } from './class-session.service';
import { ClassTypeService } from './class-type.service';
import { CoachSettingsService } from './coach-settings.service';
import type { ServiceDeps } from './context';
import { EnrollmentService } from './enrollment.service';
import { GenerationService } from './generation.service';
import { NotificationService } from './notification.service';
import { RoomService } from './room.service';
import { SeriesChangeService } from './series-change.service';
import { SeriesPauseService } from './series-pause.service';
import { SessionQueryService } from './session-query.service';
import { StandingReservationService } from './standing-reservation.service';
import { StatsService } from './stats.service';
import { SessionService } from './session.service';
import { UserService } from './user.service';
import { WebhookService } from './webhook.service';

/** Every use case of the server, built once at start-up. */
export function createServices(deps: ServiceDeps) {
  return {
    users: new UserService(deps),
    auth: new AuthService(deps),
    rooms: new RoomService(deps),
    coachSettings: new CoachSettingsService(deps),
    availability: new AvailabilityService(deps),
    sessionBookings: new BookingSessionService(deps),
    bookings: new BookingService(deps),
    seriesChanges: new SeriesChangeService(deps),
    seriesPauses: new SeriesPauseService(deps),
    generation: new GenerationService(deps),
    sessionQueries: new SessionQueryService(deps),
    stats: new StatsService(deps),
    sessionLifecycle: new SessionService(deps),
    calendarFeeds: new CalendarFeedService(deps),
    webhooks: new WebhookService(deps),
    notifications: new NotificationService(deps),
    billing: new BillingService(deps),
    classTypes: new ClassTypeService(deps),
    classSessions: new ClassSessionService(deps),
    classQueries: new ClassQueryService(deps),
    enrollments: new EnrollmentService(deps),
    classSchedules: new ClassScheduleService(deps),
    standingReservations: new StandingReservationService(deps),
  };
}

export type Services = ReturnType<typeof createServices>;
