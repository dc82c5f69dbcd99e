/**
 * The one rule for model names, used by every route schema, both registry stores, the bundled-model import and
 * the CLI: a name is a folder name under the registry root, so it must never be `.`, `..` or anything that
 * resolves outside its own folder. Letters, digits, `.`, `_`, `-`, starting with a letter or digit (which rules
 * out `.`, `..`, hidden names and names read as command-line flags), at most MODEL_NAME_MAX characters.
 */
export const MODEL_NAME_MAX = 128;

/** The pattern as a string, for JSON schemas (a route and the store accept exactly the same names). */
export const MODEL_NAME_PATTERN = `^[A-Za-z0-9][A-Za-z0-9._-]{0,${MODEL_NAME_MAX - 1}}$`;

const MODEL_NAME = new RegExp(MODEL_NAME_PATTERN);

export const MODEL_NAME_RULE = `1-${MODEL_NAME_MAX} letters, digits, '.', '_' or '-', starting with a letter or digit`;

export function isModelName(name: unknown): name is string {
  return typeof name === 'string' && MODEL_NAME.test(name);
}

/** Why `name` is not a model name, or undefined when it is one. */
export function modelNameProblem(name: unknown): string | undefined {
  return isModelName(name) ? undefined : `invalid model name ${JSON.stringify(name)}: ${MODEL_NAME_RULE}`;
}
