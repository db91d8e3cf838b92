import { apiFieldProblems } from "../errors";

// Per-field validation messages in plain words: the form's own checks, and the API's
// BAD_USER_INPUT answers (extensions.fields maps "vitals.temperatureC" -> problem).
export type FieldErrors = Record<string, string>;

// A number typed into a form: "" is no value; anything else must be a number within bounds.
export function numberProblem(
  text: string,
  { min, max, integer, what }: { min: number; max: number; integer?: boolean; what: string },
): string | null {
  if (text.trim() === "") return null;
  const value = Number(text);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    return `${what} must be ${integer ? "a whole number" : "a number"} from ${min} to ${max}.`;
  }
  return null;
}

export function numberOrNull(text: string): number | null {
  return text.trim() === "" ? null : Number(text);
}

// pydantic's wording ("Input should be greater than or equal to 1") made a plain sentence.
export function plainFieldMessage(message: string): string {
  const plain = plainWords(message);
  const sentence = plain.charAt(0).toUpperCase() + plain.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

function plainWords(message: string): string {
  const rules: [RegExp, (m: RegExpMatchArray) => string][] = [
    [/greater than or equal to (\S+)/i, (m) => `must be at least ${m[1]}`],
    [/less than or equal to (\S+)/i, (m) => `must be at most ${m[1]}`],
    [/greater than (\S+)/i, (m) => `must be more than ${m[1]}`],
    [/less than (\S+)/i, (m) => `must be less than ${m[1]}`],
    [/at least 1 (character|item)/i, () => "is required"],
    [/at most (\d+) characters?/i, (m) => `must be at most ${m[1]} characters long`],
    [/valid integer/i, () => "must be a whole number"],
  ];
  for (const [pattern, plain] of rules) {
    const match = message.match(pattern);
    if (match) return plain(match);
  }
  return message.replace(/^Value error, /, "");
}

// The API's field problems keyed by the form's own field names (`rename` maps an API path to
// one; unknown paths are left out: the caller shows the error as a whole then).
export function serverFieldErrors(error: unknown, rename: (path: string) => string | null): FieldErrors {
  const found: FieldErrors = {};
  for (const [path, problem] of Object.entries(apiFieldProblems(error))) {
    const key = rename(path);
    if (key && !found[key]) found[key] = plainFieldMessage(problem);
  }
  return found;
}
