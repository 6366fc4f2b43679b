/**
 * `target.push(...items)` passes every item as an argument: past about 100,000 of them (130,000 empty
 * YAML documents, one finding each) the stack overflows. This appends in a loop.
 */
export function append<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
