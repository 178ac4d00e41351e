import {
  coerceInputValue,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  isCompositeType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  NoSchemaIntrospectionCustomRule,
  parse,
  typeFromAST,
  valueFromAST,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import { MAX_PAGE_SIZE } from '../domain/limits';
import {
  DEFAULT_LIST_SIZE,
  ID_MAX_LENGTH,
  LIST_SIZE,
  MAX_ALIASES,
  MAX_COMPLEXITY,
  MAX_DEPTH,
  MAX_INPUT_LIST_ITEMS,
  MAX_LENGTH_BY_NAME,
  MAX_ROOT_FIELDS,
  MAX_SELECTIONS,
  MAX_TOKENS,
  PAGE_SIZE_MAX,
  STRING_MAX_LENGTH,
  depthRule,
} from './limits';
import { checkText } from './text-rules';

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

function refusal(message: string, status = 400, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}), http: { status } } });
}

const badArgument = (path: (string | number)[], message: string) => refusal(message, 400, path.join('.'));

/** Coerces the variables; the first that does not fit is reported at the argument path it fills. */
function coerceVariables(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (!type) continue; // validation reported it
    // Looked up only for a report: a valid request pays nothing for it.
    const where = () => usageOf(document, name) ?? [name];
    if (!Object.hasOwn(inputs, name)) {
      if (!definition.defaultValue && isNonNullType(type)) {
        throw badArgument(where(), `Variable "$${name}" of required type "${String(type)}" was not provided.`);
      }
      continue;
    }
    coerceInputValue(inputs[name], type, (path, _invalid, error) => {
      // Missing and unknown input fields are reported at their object: name them.
      const named = /^Field "(?:\w+\.)?(\w+)" (?:of required type|is not defined)/.exec(error.message);
      const full = [...where(), ...path, ...(named ? [named[1]] : [])];
      throw badArgument(full, `Variable "$${name}" got invalid value at "${full.join('.')}": ${error.message}`);
    });
  }
  const { coerced, errors } = getVariableValues(schema, operation.variableDefinitions ?? [], inputs, { maxErrors: 1 });
  if (errors?.length) throw refusal(errors[0].message);
  return coerced ?? {};
}

/** Where a variable is first used: its argument and the input fields/list positions around it. */
function usageOf(document: DocumentNode, variable: string): (string | number)[] | undefined {
  let found: (string | number)[] | undefined;
  const search = (value: ValueNode, path: (string | number)[]): void => {
    if (found) return;
    if (value.kind === Kind.VARIABLE && value.name.value === variable) found = path;
    else if (value.kind === Kind.OBJECT) for (const field of value.fields) search(field.value, [...path, field.name.value]);
    else if (value.kind === Kind.LIST) value.values.forEach((item, index) => search(item, [...path, index]));
  };
  visit(document, {
    Argument(node) {
      search(node.value, [node.name.value]);
    },
  });
  return found;
}

/** Root fields and aliases: 2,400 aliases of `me` are one request and 2,400 lookups. */
function countFields(document: DocumentNode, operation: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>): void {
  let aliases = 0;
  visit(document, {
    Field(node) {
      if (node.alias) aliases += 1;
    },
  });
  if (aliases > MAX_ALIASES) throw refusal(`Too many aliases: ${aliases}, at most ${MAX_ALIASES} allowed`);
  const roots = new Set<string>();
  const seen = new Set<string>();
  const collect = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) roots.add((selection.alias ?? selection.name).value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  if (roots.size > MAX_ROOT_FIELDS) throw refusal(`Too many root fields: ${roots.size}, at most ${MAX_ROOT_FIELDS} allowed`);
}

class Pricing {
  /** A fragment is priced (and its arguments checked) once, however often it is spread. */
  private readonly fragmentCost = new Map<string, number>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly variables: Record<string, unknown>,
  ) {}

  selectionSet(set: SelectionSetNode, parent: GraphQLCompositeType): number {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        total += this.field(selection, parent);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) total += this.selectionSet(selection.selectionSet, type);
      } else {
        const name = selection.name.value;
        if (!this.fragmentCost.has(name)) {
          this.fragmentCost.set(name, 0); // a cycle (refused by validation) costs nothing more
          const fragment = this.fragments.get(name);
          const type = fragment && this.schema.getType(fragment.typeCondition.name.value);
          this.fragmentCost.set(name, fragment && type && isCompositeType(type) ? this.selectionSet(fragment.selectionSet, type) : 0);
        }
        total += this.fragmentCost.get(name)!;
      }
    }
    return total;
  }

  private field(node: FieldNode, parent: GraphQLCompositeType): number {
    const name = node.name.value;
    // Introspection is priced by graphql's MaxIntrospectionDepthRule; __typename is free.
    if (name.startsWith('__') || !('getFields' in parent)) return 0;
    const definition = parent.getFields()[name];
    if (!definition) return 0;
    const coordinate = `${parent.name}.${name}`;
    const args = getArgumentValues(definition, node, this.variables);
    for (const arg of definition.args) checkArgument(coordinate, arg, args[arg.name]);

    const type = getNamedType(definition.type);
    const children = node.selectionSet && isCompositeType(type) ? this.selectionSet(node.selectionSet, type) : 0;
    const size = listSize(coordinate, definition, args);
    return size === undefined ? 1 + children : 1 + size * Math.max(children, 1);
  }
}

const isPageSize = (arg: GraphQLArgument) => (arg.name === 'first' || arg.name === 'last') && getNamedType(arg.type).name === 'Int';

function pageSizeMax(coordinate: string, arg: GraphQLArgument): number {
  return PAGE_SIZE_MAX[`${coordinate}.${arg.name}`] ?? MAX_PAGE_SIZE;
}

/**
 * How many items a field stands for: its effective page size (null or absent = the default)
 * for a list or a connection, else a list's declared size; undefined for a single object.
 */
function listSize(coordinate: string, definition: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number | undefined {
  const page = definition.args.find(isPageSize);
  if (page) {
    const value = args[page.name] ?? page.defaultValue;
    return typeof value === 'number' ? value : pageSizeMax(coordinate, page);
  }
  if (!isListType(getNullableType(definition.type))) return undefined;
  return LIST_SIZE[coordinate] ?? DEFAULT_LIST_SIZE;
}

function checkArgument(coordinate: string, arg: GraphQLArgument, value: unknown): void {
  if (isPageSize(arg) && value != null) {
    const max = pageSizeMax(coordinate, arg);
    if (typeof value !== 'number' || value < 1 || value > max) {
      throw badArgument([arg.name], `${arg.name} must be between 1 and ${max}`);
    }
  }
  checkValue(arg.type, value, [arg.name]);
}

/** Walks an argument's value by its type: every list's length, every String and ID in it. */
function checkValue(type: GraphQLInputType, value: unknown, path: (string | number)[]): void {
  if (value == null) return;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    if (!Array.isArray(value)) return;
    if (value.length > MAX_INPUT_LIST_ITEMS) throw badArgument(path, `${path.join('.')} must hold at most ${MAX_INPUT_LIST_ITEMS} items`);
    value.forEach((item, index) => checkValue(nullable.ofType, item, [...path, index]));
    return;
  }
  if (isInputObjectType(nullable)) {
    const fields = nullable.getFields();
    for (const [name, field] of Object.entries(fields)) checkValue(field.type, (value as Record<string, unknown>)[name], [...path, name]);
    return;
  }
  if (isScalarType(nullable) && (nullable.name === 'String' || nullable.name === 'ID') && typeof value === 'string') {
    const last = path.findLast((part): part is string => typeof part === 'string') ?? '';
    const max = MAX_LENGTH_BY_NAME[last] ?? (nullable.name === 'ID' ? ID_MAX_LENGTH : STRING_MAX_LENGTH);
    const problem = checkText(value, max);
    if (problem) throw badArgument(path, `${path.join('.')} ${problem}`);
  }
}

/**
 * Checked before validation, whose cost grows with the square of the selections: a
 * document with more than MAX_SELECTIONS is refused unvalidated. Returns the refusal.
 */
export function oversizedDocument(document: DocumentNode): GraphQLError | null {
  let selections = 0;
  visit(document, {
    Field: () => void (selections += 1),
    FragmentSpread: () => void (selections += 1),
    InlineFragment: () => void (selections += 1),
  });
  return selections > MAX_SELECTIONS ? refusal(`Too many selections: ${selections}, at most ${MAX_SELECTIONS} allowed`) : null;
}

/**
 * The same for a query string that Apollo has yet to parse; syntax errors are left for it to
 * report. Fewer characters than two per selection cannot hold too many: not parsed twice.
 */
export function oversizedQuery(query: unknown): GraphQLError | null {
  if (typeof query !== 'string' || query.length <= 2 * MAX_SELECTIONS) return null;
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: MAX_TOKENS });
  } catch {
    return null;
  }
  return oversizedDocument(document);
}

/** The rules added to graphql's own, for HTTP and websockets alike. */
export function validationRules(options: { introspection: boolean }): ValidationRule[] {
  return [depthRule(MAX_DEPTH), literalArgumentsRule, ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule])];
}

/**
 * The argument checks of checkOperation for literal values, as a validation rule: a literal
 * `first: -100000000` or a NUL byte written into the document is refused in validation, like
 * any other value that does not fit. Values that hold variables are checked by checkOperation.
 */
export const literalArgumentsRule: ValidationRule = (context: ValidationContext) => ({
  Field(node) {
    const parent = context.getParentType();
    const definition = context.getFieldDef();
    if (!parent || !definition || node.name.value.startsWith('__')) return;
    for (const argument of node.arguments ?? []) {
      const arg = definition.args.find((a) => a.name === argument.name.value);
      if (!arg || holdsVariable(argument.value)) continue;
      const value = valueFromAST(argument.value, arg.type);
      if (value === undefined) continue; // not of its type: graphql's ValuesOfCorrectTypeRule reports it
      try {
        checkArgument(`${parent.name}.${definition.name}`, arg, value);
      } catch (error) {
        const refused = error as GraphQLError;
        context.reportError(new GraphQLError(refused.message, { nodes: [argument], extensions: { code: 'BAD_USER_INPUT', field: refused.extensions.field } }));
      }
    }
  },
});

function holdsVariable(value: ValueNode): boolean {
  if (value.kind === Kind.VARIABLE) return true;
  if (value.kind === Kind.LIST) return value.values.some(holdsVariable);
  if (value.kind === Kind.OBJECT) return value.fields.some((field) => holdsVariable(field.value));
  return false;
}
