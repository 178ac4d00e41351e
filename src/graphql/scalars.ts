import { DateTimeResolver, LocalDateResolver, LocalTimeResolver } from 'graphql-scalars';

// The contract's scalars are graphql-scalars' own implementations.
export const DateTime = DateTimeResolver;
export const LocalDate = LocalDateResolver;
export const LocalTime = LocalTimeResolver;
