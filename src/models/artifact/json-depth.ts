/** Bounds the nesting of untrusted JSON before anything recursive (serialisers, validators) walks it. */

export const MAX_JSON_DEPTH = 32;

/**
 * The path (`at.a.0.b`) of the first value nested deeper than `max` levels below `value`, or undefined. Iterative,
 * so a document nested 100k deep is measured without exhausting the stack.
 */
export function tooDeep(value: unknown, at: string, max = MAX_JSON_DEPTH): string | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: at, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max) return path;
    for (const [key, child] of Object.entries(v)) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  return undefined;
}
