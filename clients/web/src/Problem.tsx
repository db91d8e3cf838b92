import { plainError } from "./errors";

export function Problem({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error" role="alert" data-testid="error">
      {plainError(error)}
    </p>
  );
}
