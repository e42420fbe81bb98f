/**
 * @module
 * Small builders for the JSON Schemas of the API's answers. Fastify
 * serialises each answer through its schema (fast-json-stringify keeps only
 * the properties declared), and the OpenAPI document is made of the same
 * objects, so a field missing here is missing from the answer and the
 * contract tests see it.
 */

export type JsonSchema = Record<string, unknown>;

export const num: JsonSchema = { type: 'number' };
export const int: JsonSchema = { type: 'integer' };
export const str: JsonSchema = { type: 'string' };
export const bool: JsonSchema = { type: 'boolean' };

/** `schema` or null; only for a schema with a single `type`. */
export function nullable(schema: JsonSchema): JsonSchema {
  return { ...schema, type: [schema['type'], 'null'] };
}

export function arr(items: JsonSchema): JsonSchema {
  return { type: 'array', items };
}

export function strEnum(values: readonly string[]): JsonSchema {
  return { type: 'string', enum: [...values] };
}

/** An object with exactly `properties`, all required. */
export function obj(properties: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
}

/**
 * An object whose named properties are required and typed, and whose other
 * properties pass through as they are (the detection statistics' many nested
 * tables, described by their TypeScript types in `analyse/detection-types.ts`).
 */
export function openObj(properties: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: true };
}
