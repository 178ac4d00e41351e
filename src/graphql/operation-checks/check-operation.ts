import { getOperationAST, Kind, NoSchemaIntrospectionCustomRule, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import { MAX_COMPLEXITY, MAX_DEPTH, depthRule } from '../limits';
import { coerceVariables, literalArgumentsRule } from './argument-rules';
import { countFields } from './document-size';
import { Pricing } from './pricing';
import { refusal } from './refusal';

/**
 * Everything checked between validation and execution, on the operation as it will run
 * (variables coerced, defaults applied), for HTTP (an Apollo plugin) and websockets
 * (graphql-ws onSubscribe) alike. A refused operation executes nothing.
 *
 * - variables that do not fit their type: BAD_USER_INPUT naming the argument path the
 *   variable fills ("input.startTime"), not the client's variable name;
 * - subscriptions outside a websocket;
 * - more than MAX_ROOT_FIELDS root fields or MAX_ALIASES aliases;
 * - page sizes (`first`/`last`) outside 1..max, and strings that are too long, hold control
 *   characters or nothing visible: BAD_USER_INPUT naming the argument;
 * - a price over MAX_COMPLEXITY: every field costs 1, a list costs its effective page size
 *   (null or absent = the argument's default) or its LIST_SIZE times its children.
 */
export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  rawVariables: Record<string, unknown> | null | undefined,
  operationName: string | null | undefined,
  transport: 'http' | 'websocket',
): void {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return; // graphql reports an unknown or ambiguous operation itself
  if (operation.operation === 'subscription' && transport === 'http') {
    throw refusal('Subscriptions are served over websockets: connect a graphql-ws client to this same path (ws:// or wss://)', 400);
  }
  const variables = coerceVariables(schema, document, operation, rawVariables ?? {});
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  countFields(document, operation, fragments);
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return;
  const cost = new Pricing(schema, fragments, variables).selectionSet(operation.selectionSet, rootType);
  if (cost > MAX_COMPLEXITY) {
    throw refusal(`Query is too complex: ${cost}, at most ${MAX_COMPLEXITY} allowed`);
  }
}

/** The rules added to graphql's own, for HTTP and websockets alike. */
export function validationRules(options: { introspection: boolean }): ValidationRule[] {
  return [depthRule(MAX_DEPTH), literalArgumentsRule, ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule])];
}
