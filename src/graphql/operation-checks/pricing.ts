import { getNamedType, getNullableType, isCompositeType, isListType, Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLField, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import { DEFAULT_LIST_SIZE, LIST_SIZE } from '../limits';
import { checkArgument, isPageSize, pageSizeMax } from './argument-rules';

/**
 * The price of an operation (query cost): every field costs 1, a list costs its effective
 * page size (null or absent = the argument's default) or its LIST_SIZE times its children.
 * Walking the fields, it also checks their arguments (checkArgument) with variables applied.
 */
export class Pricing {
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
