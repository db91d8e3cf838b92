import { plainError } from "./errors";

// An API error in plain words (`words` picks the wording; the desk has its own).
export function Problem({ error, words = plainError }: { error: unknown; words?: (error: unknown) => string }) {
  if (!error) return null;
  return (
    <p className="error" role="alert" data-testid="error">
      {words(error)}
    </p>
  );
}
