import { validate, type ValidationError } from 'class-validator';
import { getNamedType, type GraphQLResolveInfo } from 'graphql';
import type { ResolverData } from 'type-graphql';
import { badInput } from '../errors';

/**
 * TypeGraphQL's validateFn: runs class-validator on input objects and reports the
 * first problem as BAD_USER_INPUT with the contract's dotted `field` path
 * ("input.endTime", "slots.1.startTime").
 */
export async function validateArgs(argValue: unknown, argType: unknown, data: ResolverData<object>): Promise<void> {
  if (argValue === null || typeof argValue !== 'object') return;
  const argName = argNameFor(data.info, argType);
  const items = Array.isArray(argValue) ? argValue : [argValue];
  for (const [index, item] of items.entries()) {
    if (item === null || typeof item !== 'object') continue;
    const errors = await validate(item as object, { skipMissingProperties: true, forbidUnknownValues: false });
    if (errors.length === 0) continue;
    const prefix = Array.isArray(argValue) ? [argName, String(index)] : [argName];
    const { path, message } = firstLeaf(errors[0], []);
    throw badInput([...prefix, ...path].join('.'), message);
  }
}

function firstLeaf(error: ValidationError, path: string[]): { path: string[]; message: string } {
  const here = [...path, error.property];
  if (error.constraints) return { path: here, message: Object.values(error.constraints)[0] };
  const child = error.children?.[0];
  return child ? firstLeaf(child, here) : { path: here, message: `${error.property} is invalid` };
}

function argNameFor(info: GraphQLResolveInfo, argType: unknown): string {
  const typeName = typeof argType === 'function' ? argType.name : undefined;
  const field = info.parentType.getFields()[info.fieldName];
  const arg = field?.args.find((a) => getNamedType(a.type).name === typeName);
  return arg?.name ?? 'input';
}
