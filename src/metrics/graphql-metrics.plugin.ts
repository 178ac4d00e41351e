import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { formatError } from '../graphql/format-error';
import type { Metrics } from './metrics';
import { operationLabels, outcomeOf } from './operation-labels';

/** Counts and times every GraphQL request over HTTP (websocket subscriptions are counted in graphql-ws.ts). */
export function graphqlMetricsPlugin(schema: GraphQLSchema, metrics: Metrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ document, request, errors }) {
          const labels = operationLabels(schema, document, request.operationName);
          // The code a client sees, as formatError decides it (masked errors count as INTERNAL_SERVER_ERROR).
          const seen = errors?.map((error) => formatError(error.toJSON(), error));
          metrics.graphqlOperations.inc({ ...labels, outcome: outcomeOf(seen) });
          metrics.graphqlDuration.observe({ type: labels.type }, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
