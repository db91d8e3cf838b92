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
