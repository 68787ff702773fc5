/** A problem the user caused on the command line or with a path: main() prints it and exits 2, no stack trace. */
export class UsageError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}
