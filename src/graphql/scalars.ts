import { GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver, LocalDateResolver, LocalTimeResolver } from 'graphql-scalars';

// The contract's scalars are graphql-scalars' own implementations, except that LocalTime
// also takes "24:00": the midnight that ends a day, so weekly hours and series can end there.
export const DateTime = DateTimeResolver;
export const LocalDate = LocalDateResolver;

const END_OF_DAY = /^24:00(:00)?$/;
const isEndOfDay = (value: unknown): value is string => typeof value === 'string' && END_OF_DAY.test(value);

export const LocalTime = new GraphQLScalarType({
  name: 'LocalTime',
  description:
    'A wall-clock time of day in 24-hour `HH:mm` format (`HH:mm:ss` accepted on input), e.g. `14:25`. ' +
    '`24:00` is the midnight that ends a day: it may end a window (weekly hours, a recurring booking), never start one.',
  serialize: (value) => (isEndOfDay(value) ? '24:00' : LocalTimeResolver.serialize(value)),
  parseValue: (value) => (isEndOfDay(value) ? value : LocalTimeResolver.parseValue(value)),
  parseLiteral: (ast, variables) => (ast.kind === Kind.STRING && isEndOfDay(ast.value) ? ast.value : LocalTimeResolver.parseLiteral(ast, variables)),
  extensions: LocalTimeResolver.extensions,
});
