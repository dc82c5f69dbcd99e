import { Type } from 'typebox';

/** References to the one error body for the listed status codes, for the OpenAPI document and serialisation. */
export function errorResponses(...codes: number[]) {
  return Object.fromEntries(codes.map((c) => [c, Type.Ref('ErrorBody')]));
}
