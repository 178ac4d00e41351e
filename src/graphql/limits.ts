import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { MAX_WEEKLY_SLOTS } from '../domain/availability';
import { MAX_RUNS_LISTED, MAX_SERIES_PAUSES } from '../domain/limits';
import { WebhookEventType } from '../generated/prisma/enums';
import { MAX_CLASS_CAPACITY } from '../services/class-session.service';
import { MAX_WEBHOOK_ENDPOINTS } from '../services/webhook.service';

/**
 * Abuse limits shared by HTTP and websocket requests (the numbers README's "Limits" lists).
 * Tokens stop the parser; selections are counted before validation; depth and literal
 * arguments are validation rules; everything that needs the variables' values (argument
 * ranges, string rules, prices, field counts) runs in src/graphql/operation-checks/ after
 * validation and before execution.
 */
export const MAX_DEPTH = 10;
export const MAX_COMPLEXITY = 5_000;
/** Tokens in one document: the parser stops here (getIntrospectionQuery() has a few hundred). */
export const MAX_TOKENS = 5_000;
/**
 * Selections (fields, fragment spreads, inline fragments) in one document, counted before
 * validation: graphql-js's OverlappingFieldsCanBeMergedRule is quadratic in them (2,000
 * repeated selections took 0.7 s of CPU to validate; 500 take a few tens of ms).
 * getIntrospectionQuery() has 75.
 */
export const MAX_SELECTIONS = 500;
/** Root fields (distinct response names) one operation may ask for. */
export const MAX_ROOT_FIELDS = 20;
/** Aliased fields in one document. */
export const MAX_ALIASES = 50;

/** Page sizes past the domain's MAX_PAGE_SIZE default, by argument coordinate. */
export const PAGE_SIZE_MAX: Record<string, number> = {
  'Query.generationRuns.last': MAX_RUNS_LISTED,
  'ClassSession.enrollments.first': MAX_CLASS_CAPACITY,
};

/**
 * What a list without a page size is priced at: the most it can hold, or what the list
 * means in practice where nothing caps it (people, rooms, windows of a coach).
 * Lists not named here cost DEFAULT_LIST_SIZE items.
 */
export const DEFAULT_LIST_SIZE = 100;
export const LIST_SIZE: Record<string, number> = {
  // The connection's page is priced at `sessions(first)`; its edges are that page.
  'SessionConnection.edges': 1,
  'NotificationConnection.edges': 1,
  'ClassSessionConnection.edges': 1,
  'EnrollmentConnection.edges': 1,
  'Query.webhookEndpoints': MAX_WEBHOOK_ENDPOINTS,
  // A set of event types: at most one of each.
  'WebhookEndpoint.events': Object.keys(WebhookEventType).length,
  'Query.weeklyAvailability': MAX_WEEKLY_SLOTS,
  'Mutation.setWeeklyAvailability': MAX_WEEKLY_SLOTS,
  'Stats.sessionsByStatus': 4,
  'RecurringBooking.pauses': MAX_SERIES_PAUSES,
};

/** Items in any list a client sends (weekly slots, status filters): a week holds at most 100 slots. */
export const MAX_INPUT_LIST_ITEMS = MAX_WEEKLY_SLOTS;

/**
 * Every String and ID argument and input field has a maximum length: by the argument's
 * or input field's name, else ID_MAX_LENGTH for IDs and STRING_MAX_LENGTH for strings.
 */
export const STRING_MAX_LENGTH = 1_000;
export const ID_MAX_LENGTH = 100;
export const MAX_LENGTH_BY_NAME: Record<string, number> = {
  name: 100,
  email: 254,
  timezone: 64,
  note: 500,
  reason: 500,
  after: 200,
};

export function depthRule(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map(
      context.getDocument().definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
    );
    // Per fragment, once: a fragment spread many times over is not walked many times over.
    const fragmentDepth = new Map<string, number>();
    const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
      if (!set) return 0;
      let deepest = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          // Introspection (__schema, __type) is exempt: graphql's MaxIntrospectionDepthRule bounds it,
          // and NoSchemaIntrospectionCustomRule refuses it when introspection is off.
          if (selection.name.value.startsWith('__')) continue;
          deepest = Math.max(deepest, selection.selectionSet ? 1 + depthOf(selection.selectionSet, seen) : 0);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet, seen));
        } else {
          const name = selection.name.value;
          if (seen.has(name)) continue; // fragment cycles are reported by graphql's own rule
          if (!fragmentDepth.has(name)) fragmentDepth.set(name, depthOf(fragments.get(name)?.selectionSet, new Set([...seen, name])));
          deepest = Math.max(deepest, fragmentDepth.get(name)!);
        }
      }
      return deepest;
    };
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, new Set());
        if (depth > maxDepth) {
          context.reportError(new GraphQLError(`Query is too deep: ${depth} levels, at most ${maxDepth} allowed`, { nodes: [node] }));
        }
      },
    };
  };
}

