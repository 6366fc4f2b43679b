/**
 * Commands return their exit code; `main` is the only place that sets the process's. Commander does not
 * hand an action's return value back, so each action is wrapped: what it returns (nothing is 0) is
 * kept here for `main` to take once the command has run.
 */
let returned = 0;

/** A command's action whose returned number is the exit code. */
export function returnsExitCode<A extends unknown[]>(action: (...args: A) => Promise<number | void> | number | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    returned = (await action(...args)) ?? 0;
  };
}

/** The code the last command returned (0 when none ran), for `main` alone. */
export function takeExitCode(): number {
  const code = returned;
  returned = 0;
  return code;
}
