import { getOperationAST, Kind, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';

export interface OperationLabels {
  type: 'query' | 'mutation' | 'subscription' | 'unknown';
  name: string;
}

/** Error codes a response may carry (the contract's and Apollo's request errors); anything else counts as "error". */
const KNOWN_CODES = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED',
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND',
  'INTERNAL_SERVER_ERROR',
]);

/**
 * Labels for an operation from a bounded set: its type and its first root field's name when
 * that field exists in the schema (clients choose operation names freely, so those are never
 * used), else "other" (introspection, typos, requests that failed to parse).
 */
export function operationLabels(schema: GraphQLSchema, document: DocumentNode | undefined, operationName?: string | null): OperationLabels {
  const operation = document ? safeOperation(document, operationName) : null;
  if (!operation) return { type: 'unknown', name: 'other' };
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  const first = operation.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD);
  const field = first?.kind === Kind.FIELD ? first.name.value : undefined;
  const name = field !== undefined && root?.getFields()[field] ? field : 'other';
  return { type: operation.operation, name };
}

/** "ok", or the first error's code when it is one of the known codes, else "error". */
export function outcomeOf(errors: readonly { extensions?: { code?: unknown } }[] | undefined): string {
  if (!errors || errors.length === 0) return 'ok';
  const code = errors[0].extensions?.code;
  return typeof code === 'string' && KNOWN_CODES.has(code) ? code : 'error';
}

function safeOperation(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | null {
  try {
    return getOperationAST(document, operationName ?? undefined) ?? null;
  } catch {
    return null;
  }
}
