/** Merging options over `defaults`, shared by every projection. */

/**
 * `{ ...defaults, ...options }`, except that an option given as `undefined` keeps its default:
 * options built from optional form fields or query parameters often carry explicit undefineds.
 */
export function withDefaults<Defaults extends object, Options extends object>(
  defaults: Defaults,
  options: Options,
): Defaults & Options {
  const given = Object.entries(options).filter(([, value]) => value !== undefined);
  return { ...defaults, ...Object.fromEntries(given) } as Defaults & Options;
}
