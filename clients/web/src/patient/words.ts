import { CombinedGraphQLErrors } from "@apollo/client/errors";
import { plainError } from "../errors";

// The API's error code (CONFLICT, FORBIDDEN, BAD_USER_INPUT...), when it gave one.
export function errorCode(error: unknown): string | null {
  if (!CombinedGraphQLErrors.is(error)) return null;
  const code = error.errors[0]?.extensions?.code;
  return typeof code === "string" ? code : null;
}

// A failed booking in plain words: a slot taken meanwhile says so.
export function bookingProblem(error: unknown): string {
  if (errorCode(error) === "CONFLICT") return "That time was just taken — pick another.";
  return plainError(error);
}

export function dayOf(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

// [local midnight of `day`, the next local midnight) as ISO instants.
export function dayWindow(day: string): { from: string; to: string } | null {
  const start = new Date(`${day}T00:00:00`);
  if (Number.isNaN(start.getTime())) return null;
  const end = new Date(start);
  end.setDate(end.getDate() + 1);
  return { from: start.toISOString(), to: end.toISOString() };
}

export function timeOf(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}
