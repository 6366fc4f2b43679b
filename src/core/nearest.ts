/** "Did you mean ...?": the known name closest to a mistyped one, when it is close enough to be a typo. */

/** Edits (insert, delete, replace one character) from `a` to `b`. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[b.length]!;
}

/** The nearest of `known` to `name` within a third of its length (at least 2 edits), or undefined. */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const edits = distance(name, candidate);
    if (edits <= limit && (!best || edits < best.distance)) best = { name: candidate, distance: edits };
  }
  return best?.name;
}
