import { Problem } from "../Problem";
import { problemText } from "./problems";

export function DeskProblem({ error }: { error: unknown }) {
  return <Problem error={error} words={problemText} />;
}
