/** Placeholder substitution for templates: every token must be known, and none may survive. */

const TOKEN = /__PATCHKIT_[A-Z0-9]+(?:_[A-Z0-9]+)*__/g;

export class TemplateError extends Error {}

/** Replaces every `__PATCHKIT_X__` in one pass; an unknown token or one left over is an error. */
export const fill = (template: string, values: Record<string, string>, where: string): string => {
  const out = template.replace(TOKEN, (token) => {
    const key = token.slice('__PATCHKIT_'.length, -2);
    const value = values[key];
    if (value === undefined) throw new TemplateError(`${where}: no value for placeholder ${token}`);
    return value;
  });
  const left = out.match(TOKEN);
  if (left) throw new TemplateError(`${where}: placeholder ${left[0]} left after rendering`);
  return out;
};
