/**
 * Wraps an entry point so that nothing it throws reaches the host page: a broken tracker must
 * never break the site it is measuring.
 */
export function safe<Args extends unknown[], Result>(
  fn: (...args: Args) => Result,
): (...args: Args) => Result | undefined {
  return (...args) => {
    try {
      return fn(...args);
    } catch {
      return undefined;
    }
  };
}
