import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";

// API errors in plain words for the person using the app (never a stack trace or raw code).
const PLAIN: Record<string, string> = {
  FORBIDDEN: "You are not allowed to see or change this.",
  UNAUTHENTICATED: "Your session has ended. Please sign in again.",
  CONFLICT: "Someone else changed this first (or the slot is already taken). Please reload and try again.",
  NOT_FOUND: "We could not find what you asked for.",
  BAD_USER_INPUT: "Some of the details are not valid.",
  RATE_LIMITED: "Too many attempts. Please wait a moment and try again.",
};

export function plainError(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) {
    const first = error.errors[0];
    const code = String(first?.extensions?.code ?? "");
    if (code === "BAD_USER_INPUT" && first?.message) return `${PLAIN[code]} ${first.message}`;
    return PLAIN[code] ?? first?.message ?? "Something went wrong.";
  }
  if (ServerError.is(error)) {
    if (error.statusCode === 401) return PLAIN.UNAUTHENTICATED;
    if (error.statusCode === 403) return PLAIN.FORBIDDEN;
    return "The service is not answering right now. Please try again shortly.";
  }
  if (error instanceof TypeError) return "We cannot reach the service. Check your connection.";
  return "Something went wrong. Please try again.";
}

// The API's per-field problems in BAD_USER_INPUT answers, keyed by the API's field path:
// `extensions.fields` ({ "vitals.temperatureC": "..." }), or `extensions.field` with the message.
export function apiFieldProblems(error: unknown): Record<string, string> {
  if (!CombinedGraphQLErrors.is(error)) return {};
  const found: Record<string, string> = {};
  for (const item of error.errors) {
    if (item.extensions?.code !== "BAD_USER_INPUT") continue;
    const fields = item.extensions.fields;
    if (fields && typeof fields === "object") {
      for (const [path, problem] of Object.entries(fields as Record<string, unknown>)) {
        found[path] ??= String(problem);
      }
    }
    const single = item.extensions.field;
    if (typeof single === "string" && item.message) found[single] ??= item.message;
  }
  return found;
}
