/**
 * The few error classes patchkit knows. The top-level catch in cli.ts maps each to an exit code:
 * 0 ok, 1 findings (drift, failed verification), 2 a known error the user can act on.
 * Anything else is a bug and is re-thrown with its stack.
 */
export class PatchkitError extends Error {
  readonly exitCode: number = 2;
  /** One line that says what to do next; printed after the message. */
  readonly hint?: string;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.hint = hint;
  }
}

/** The interpreter could not be found, run, or answered nonsense. */
export class InterpreterError extends PatchkitError {}

/** The package, module or path to scan does not exist in the chosen environment. */
export class TargetNotFoundError extends PatchkitError {}

/** User input (names, targets, globs) that patchkit refuses to put into generated code. */
export class ValidationError extends PatchkitError {}

/** A filesystem operation on an environment was refused (read-only site dir, foreign file in the way). */
export class EnvironmentError extends PatchkitError {}

/** Findings rather than failures: drift found by `check`, a bundle not applied in `verify`. */
export class FindingsError extends PatchkitError {
  override readonly exitCode = 1;
}

export const isPatchkitError = (error: unknown): error is PatchkitError => error instanceof PatchkitError;
