/**
 * Commands return their exit code; only `main` sets the process's. Commander drops what an action
 * returns, so an action made with `returningExitCode` leaves it here for `main` to take.
 */
let returned: number | undefined;

export function returningExitCode<A extends unknown[]>(run: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    returned = await run(...args);
  };
}

/** The code the command that just ran returned, if it returns one. */
export function takeExitCode(): number | undefined {
  const code = returned;
  returned = undefined;
  return code;
}
