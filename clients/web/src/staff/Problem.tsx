import { problemText } from "./problems";

export function DeskProblem({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error" role="alert" data-testid="error">
      {problemText(error)}
    </p>
  );
}
