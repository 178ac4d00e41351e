import {
  coerceInputValue,
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLError,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  typeFromAST,
  valueFromAST,
  visit,
  type DocumentNode,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import { ID_MAX_LENGTH, MAX_INPUT_LIST_ITEMS, MAX_LENGTH_BY_NAME, PAGE_SIZE_MAX, STRING_MAX_LENGTH } from '../limits';
import { MAX_PAGE_SIZE } from '../../domain/limits';
import { checkText } from '../text-rules';
import { badArgument, refusal } from './refusal';

/**
 * Argument rules: variables that fit their type (reported at the argument path they fill),
 * page sizes in 1..max, list lengths, and the text rules of every String and ID. Literal
 * arguments are checked in validation (literalArgumentsRule), values from variables by
 * checkOperation once coerced.
 */

/** Coerces the variables; the first that does not fit is reported at the argument path it fills. */
export function coerceVariables(
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

export const isPageSize = (arg: GraphQLArgument) => (arg.name === 'first' || arg.name === 'last') && getNamedType(arg.type).name === 'Int';

export function pageSizeMax(coordinate: string, arg: GraphQLArgument): number {
  return PAGE_SIZE_MAX[`${coordinate}.${arg.name}`] ?? MAX_PAGE_SIZE;
}

export function checkArgument(coordinate: string, arg: GraphQLArgument, value: unknown): void {
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
