/**
 * Commands return their exit code; `main` alone sets it on the process. Commander drops what an action
 * returns, so an action is wrapped: what it returns is kept here for `main` to read after parsing.
 */
let returned: number | undefined;

export function returningExitCode<A extends unknown[]>(action: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    returned = await action(...args);
  };
}

/** The code the command that ran returned, if it was one that returns it. */
export function returnedExitCode(): number | undefined {
  return returned;
}
