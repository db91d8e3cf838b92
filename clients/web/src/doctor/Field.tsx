import type { ReactNode } from "react";

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
