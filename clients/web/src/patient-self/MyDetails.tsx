import { useEffect, useState, type FormEvent } from "react";
import { useMutation, useQuery } from "@apollo/client/react";
import { apiFieldProblems } from "../errors";
import { MyContactDetailsDocument, UpdateMyContactDetailsDocument } from "./operations";
import { Problem } from "../Problem";

// The fields a patient may correct, as the API names them in BAD_USER_INPUT's extensions.fields.
const FIELDS = [
  { name: "email", label: "Email", type: "email", autoComplete: "email" },
  { name: "phone", label: "Phone number", type: "tel", autoComplete: "tel", hint: "With the country code, e.g. +44 20 7946 0958" },
  { name: "addressLine1", label: "Address line 1", type: "text", autoComplete: "address-line1" },
  { name: "addressLine2", label: "Address line 2", type: "text", autoComplete: "address-line2" },
  { name: "city", label: "Town or city", type: "text", autoComplete: "address-level2" },
  { name: "region", label: "County or region", type: "text", autoComplete: "address-level1" },
  { name: "postalCode", label: "Postcode", type: "text", autoComplete: "postal-code" },
  { name: "country", label: "Country code", type: "text", autoComplete: "country", hint: "Two letters, e.g. GB" },
] as const;

type Name = (typeof FIELDS)[number]["name"];
type Values = Record<Name, string>;
const ADDRESS: Record<string, Name> = {
  line1: "addressLine1",
  line2: "addressLine2",
  city: "city",
  region: "region",
  postalCode: "postalCode",
  country: "country",
};

function fieldErrors(error: unknown): Partial<Record<Name, string>> {
  return apiFieldProblems(error) as Partial<Record<Name, string>>;
}

type Contact = {
  email?: string | null;
  phone?: string | null;
  address?: {
    line1?: string | null;
    line2?: string | null;
    city?: string | null;
    region?: string | null;
    postalCode?: string | null;
    country?: string | null;
  } | null;
};

function toValues(patient: Contact): Values {
  const address = patient.address;
  return {
    email: patient.email ?? "",
    phone: patient.phone ?? "",
    addressLine1: address?.line1 ?? "",
    addressLine2: address?.line2 ?? "",
    city: address?.city ?? "",
    region: address?.region ?? "",
    postalCode: address?.postalCode ?? "",
    country: address?.country ?? "",
  };
}

const blank = (text: string) => (text.trim() === "" ? null : text.trim());

// The signed-in patient sees and corrects their own email, phone and address.
export function MyDetails() {
  const { data, error, loading } = useQuery(MyContactDetailsDocument, { fetchPolicy: "cache-and-network" });
  const [save, { loading: saving }] = useMutation(UpdateMyContactDetailsDocument);
  const patient = data?.me.patient;
  const [values, setValues] = useState<Values | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  const stored = (): Values | null => (patient ? toValues(patient) : null);
  useEffect(() => {
    if (patient && values === null) setValues(stored());
  }, [patient]); // eslint-disable-line react-hooks/exhaustive-deps

  if (loading && !data) return <p role="status">Loading your details…</p>;
  if (error && !data) return <Problem error={error} />;
  if (!patient || !values) return <p>There is no patient record linked to this account.</p>;

  const errors = fieldErrors(problem);
  const hasFieldErrors = Object.keys(errors).length > 0;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setSaved(false);
    const before = stored()!;
    const input: Record<string, unknown> = {};
    if (values.email !== before.email) input.email = blank(values.email);
    if (values.phone !== before.phone) input.phone = blank(values.phone);
    // the address is one group: sent whole whenever a part of it changed
    if (Object.values(ADDRESS).some((name) => values[name] !== before[name])) {
      input.address = Object.fromEntries(Object.entries(ADDRESS).map(([key, name]) => [key, blank(values[name])]));
    }
    if (Object.keys(input).length === 0) {
      setSaved(true);
      return;
    }
    try {
      const { data: result } = await save({ variables: { input, expectedVersion: patient.version } });
      if (result) {
        setSaved(true);
        setValues(toValues(result.updateMyContactDetails)); // as saved (e.g. the phone in E.164)
      }
    } catch (caught) {
      setProblem(caught);
    }
  };

  return (
    <>
      <h1>My details</h1>
      <p>
        {patient.givenName} {patient.familyName}. Correct your contact details here; for anything else,
        ask the reception desk.
      </p>
      <form className="card" onSubmit={(event) => void submit(event)} aria-labelledby="details-title" noValidate>
        <h2 id="details-title">Contact details</h2>
        {FIELDS.map((field) => {
          const message = errors[field.name];
          const described = [field.name in errors ? `${field.name}-error` : "", "hint" in field ? `${field.name}-hint` : ""]
            .filter(Boolean)
            .join(" ");
          return (
            <div key={field.name} className="field">
              <label htmlFor={field.name}>{field.label}</label>
              <input id={field.name} name={field.name} type={field.type} autoComplete={field.autoComplete}
                value={values[field.name]} aria-invalid={message ? true : undefined}
                aria-describedby={described || undefined}
                onChange={(e) => setValues({ ...values, [field.name]: e.target.value })} />
              {"hint" in field && (
                <span id={`${field.name}-hint`} className="hint">{field.hint}</span>
              )}
              {message && (
                <span id={`${field.name}-error`} className="error" data-testid={`${field.name}-error`}>
                  {field.label} {message}.
                </span>
              )}
            </div>
          );
        })}
        {hasFieldErrors ? (
          <p className="error" role="alert" data-testid="error">
            Please correct the details marked above; nothing was saved.
          </p>
        ) : (
          <Problem error={problem} />
        )}
        {saved && (
          <p role="status" data-testid="saved">
            Your details are saved.
          </p>
        )}
        <button type="submit" disabled={saving}>Save my details</button>
      </form>
    </>
  );
}
