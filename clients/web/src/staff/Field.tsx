import type { ReactNode } from "react";

// A labelled form field with its own error message, tied to the input: "<name> <what is wrong>"
// for a fragment ("is required"), a sentence ("The date is in the past.") as it is.
export function Field({ id, label, name, error, children }: { id: string; label: string; name?: string; error?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {error && (
        <span className="field-error" id={`${id}-error`} data-testid={`${id}-error`}>
          {/^[a-z]/.test(error) ? `${name ?? label} ${error}` : error}
        </span>
      )}
    </div>
  );
}

export function describedBy(id: string, error?: string): { "aria-invalid"?: true; "aria-describedby"?: string } {
  return error ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {};
}
