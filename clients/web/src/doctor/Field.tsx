import { useState, type ReactNode } from "react";
import { serverFieldErrors, type FieldErrors } from "./fieldErrors";
import { Problem } from "../Problem";

type Common = { id: string; label: string; error?: string; hint?: string };

// A labelled form control whose problem is announced and tied to it (aria-describedby).
function Frame({ id, label, error, hint, children }: Common & { children: ReactNode }) {
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {children}
      {error && (
        <span className="field-error" id={`${id}-error`} data-field-error={id}>
          {error}
        </span>
      )}
    </div>
  );
}

function described({ id, error, hint }: Common): string | undefined {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return ids || undefined;
}

export function TextField(
  props: Common & {
    value: string;
    onChange: (value: string) => void;
    multiline?: boolean;
    inputMode?: "decimal" | "numeric" | "text";
    required?: boolean;
  },
) {
  const shared = {
    id: props.id,
    name: props.id,
    value: props.value,
    "aria-invalid": props.error ? true : undefined,
    "aria-describedby": described(props),
    "aria-required": props.required || undefined,
  };
  return (
    <Frame {...props}>
      {props.multiline ? (
        <textarea {...shared} rows={4} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input {...shared} inputMode={props.inputMode} onChange={(e) => props.onChange(e.target.value)} />
      )}
    </Frame>
  );
}

export function SelectField(
  props: Common & { value: string; onChange: (value: string) => void; options: { value: string; label: string }[] },
) {
  return (
    <Frame {...props}>
      <select
        id={props.id}
        name={props.id}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={described(props)}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

// A form's problems: its own checks first (nothing is sent while one fails), then the API's, each
// under its field (`rename` maps an API path to a field key) or, failing that, as a whole. The
// first field with a problem gets the focus (controls have ids `${prefix}-${key}`).
export function useFieldChecks(prefix: string, rename: (path: string) => string | null) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<unknown>(null);
  const show = (found: FieldErrors): boolean => {
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) document.getElementById(`${prefix}-${first}`)?.focus();
    return first !== undefined;
  };
  const submit = async (found: FieldErrors, send: () => Promise<void>) => {
    setProblem(null);
    if (show(found)) return;
    try {
      await send();
    } catch (caught) {
      if (!show(serverFieldErrors(caught, rename))) setProblem(caught);
    }
  };
  return { errors, problem, submit };
}

// The end of a form: a summary when fields have problems, the API's refusal, submit and cancel.
export function FormEnd({
  errors,
  problem,
  busy,
  label,
  onCancel,
}: {
  errors: FieldErrors;
  problem: unknown;
  busy: boolean;
  label: string;
  onCancel: () => void;
}) {
  return (
    <>
      {Object.keys(errors).length > 0 && (
        <p className="error" role="alert">
          Please correct the marked fields.
        </p>
      )}
      <Problem error={problem} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {label}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}
