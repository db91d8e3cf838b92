import { CombinedGraphQLErrors } from "@apollo/client/errors";
import { apiFieldProblems, plainError } from "../errors";

// The desk's errors in plain words. Our services word CONFLICT and BAD_USER_INPUT refusals as
// sentences for people ("You cannot disable your own account."), so those are shown as they are;
// everything else goes through the app's shared wording.

function firstError(error: unknown) {
  return CombinedGraphQLErrors.is(error) ? error.errors[0] : undefined;
}

// "dateOfBirth" -> "date of birth"
const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();

export function problemText(error: unknown): string {
  const first = firstError(error);
  const code = String(first?.extensions?.code ?? "");
  const fields = fieldProblems(error);
  if (code === "BAD_USER_INPUT" && Object.keys(fields).length > 1) {
    return `Please check: ${Object.entries(fields).map(([name, why]) => `${words(name)} ${why}`).join("; ")}.`;
  }
  if ((code === "CONFLICT" || code === "BAD_USER_INPUT") && first?.message) {
    return first.message.replace(/^Invalid input: /, "Please check: ");
  }
  if (code === "FORBIDDEN" && first?.message) return `You are not allowed to do this: ${first.message}`;
  // the router's refusal of a field the token's scopes do not cover
  if (code === "UNAUTHORIZED_FIELD_OR_TYPE") return "Your role is not allowed to do this.";
  return plainError(error);
}

// Per-field messages ({ givenName: "is required" }), each without its own field name in front
// ("appointmentMinutes must be between 5 and 480." -> "must be between 5 and 480.").
export function fieldProblems(error: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(apiFieldProblems(error)).map(([name, problem]) => [
      name,
      problem.startsWith(`${name} `) ? problem.slice(name.length + 1) : problem,
    ]),
  );
}
