import { useState, type FormEvent } from "react";
import { useApolloClient, useMutation } from "@apollo/client/react";
import type { Sex } from "../gql/graphql";
import { navigate } from "../Link";
import { RegisterPatientDocument, SamePatientsDocument } from "./operations";
import { DeskProblem } from "./Problem";
import { Field, describedBy } from "./Field";
import { fieldProblems } from "./problems";

type Form = {
  givenName: string; familyName: string; dateOfBirth: string; sex: Sex | "";
  email: string; phone: string; addressLine1: string; city: string; postalCode: string; country: string;
  insurancePayer: string; insuranceMemberId: string;
};

const EMPTY: Form = {
  givenName: "", familyName: "", dateOfBirth: "", sex: "", email: "", phone: "", addressLine1: "",
  city: "", postalCode: "", country: "", insurancePayer: "", insuranceMemberId: "",
};

const SEXES: { value: Sex; label: string }[] = [
  { value: "FEMALE", label: "Female" }, { value: "MALE", label: "Male" },
  { value: "OTHER", label: "Other" }, { value: "UNKNOWN", label: "Unknown" },
];

type Twin = { id: string; mrn: string; givenName: string; familyName: string; dateOfBirth: string };

const blank = (value: string) => (value.trim() === "" ? null : value.trim());

// What the person must fix before anything is sent (the API checks everything again).
function missing(form: Form): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!form.givenName.trim()) errors.givenName = "is required";
  if (!form.familyName.trim()) errors.familyName = "is required";
  if (!form.dateOfBirth) errors.dateOfBirth = "is required";
  if (!form.sex) errors.sex = "is required";
  return errors;
}

export function RegisterPatient() {
  const client = useApolloClient();
  const [form, setForm] = useState<Form>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<unknown>(null);
  const [twins, setTwins] = useState<Twin[] | null>(null);
  const [create, { loading }] = useMutation(RegisterPatientDocument);
  const set = (key: keyof Form) => (event: { target: { value: string } }) =>
    setForm((previous) => ({ ...previous, [key]: event.target.value }));

  const register = async () => {
    const { data } = await create({
      variables: {
        input: {
          givenName: form.givenName.trim(), familyName: form.familyName.trim(),
          dateOfBirth: form.dateOfBirth, sex: form.sex as Sex,
          email: blank(form.email), phone: blank(form.phone),
          address: { line1: blank(form.addressLine1), city: blank(form.city), postalCode: blank(form.postalCode), country: blank(form.country.toUpperCase()) },
          insurance: { payer: blank(form.insurancePayer), memberId: blank(form.insuranceMemberId) },
        },
      },
    });
    if (data) navigate(`/app/patients/${encodeURIComponent(data.createPatient.id)}`);
  };

  const submit = async (event: FormEvent, anyway = false) => {
    event.preventDefault();
    setProblem(null);
    const local = missing(form);
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    try {
      if (!anyway) {
        // The API registers people with the same name twice (they may be different people):
        // the desk is shown who is already registered with this name and birth date first.
        const { data } = await client.query({
          query: SamePatientsDocument,
          variables: { search: `${form.givenName.trim()} ${form.familyName.trim()}` },
          fetchPolicy: "no-cache",
        });
        const same = (data?.patients?.nodes ?? []).filter((p) => p.dateOfBirth === form.dateOfBirth);
        if (same.length > 0) {
          setTwins(same);
          return;
        }
      }
      setTwins(null);
      await register();
    } catch (caught) {
      setErrors(fieldProblems(caught));
      setProblem(caught);
    }
  };

  const text = (key: keyof Form, label: string, props: Record<string, string> = {}, name?: string) => (
    <Field id={key} label={label} name={name} error={errors[key]}>
      <input id={key} name={key} value={form[key]} onChange={set(key)} {...props} {...describedBy(key, errors[key])} />
    </Field>
  );

  return (
    <>
      <h1>Register a patient</h1>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="register-title">
        <h2 id="register-title">New patient</h2>
        {text("givenName", "Given name", { autoComplete: "off" })}
        {text("familyName", "Family name", { autoComplete: "off" })}
        {text("dateOfBirth", "Date of birth", { type: "date" })}
        <Field id="sex" label="Sex" error={errors.sex}>
          <select id="sex" name="sex" value={form.sex} onChange={set("sex")} {...describedBy("sex", errors.sex)}>
            <option value="">Choose…</option>
            {SEXES.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
          </select>
        </Field>
        <fieldset>
          <legend>Contact (optional)</legend>
          {text("email", "Email", { type: "email" })}
          {text("phone", "Phone (international, e.g. +44 20 7946 0958)", { type: "tel" }, "Phone")}
          {text("addressLine1", "Address")}
          {text("city", "City")}
          {text("postalCode", "Postal code")}
          {text("country", "Country code (e.g. GB)", { maxLength: "2" }, "Country code")}
        </fieldset>
        <fieldset>
          <legend>Insurance (optional)</legend>
          {text("insurancePayer", "Insurer")}
          {text("insuranceMemberId", "Member number")}
        </fieldset>
        <DeskProblem error={problem} />
        {twins && (
          <div className="confirm" role="alert" data-testid="duplicate">
            <p>
              Already registered with this name and date of birth:{" "}
              {twins.map((t, i) => (
                <span key={t.id}>
                  {i > 0 && ", "}
                  <a href={`/app/patients/${encodeURIComponent(t.id)}`} onClick={(e) => { e.preventDefault(); navigate(`/app/patients/${encodeURIComponent(t.id)}`); }}>
                    {t.givenName} {t.familyName} (MRN {t.mrn})
                  </a>
                </span>
              ))}
              . Open their page, or register a different person with the same details.
            </p>
            <button type="button" onClick={(event) => void submit(event, true)} disabled={loading}>Register anyway</button>
            <button type="button" className="secondary" onClick={() => setTwins(null)}>Cancel</button>
          </div>
        )}
        <button type="submit" disabled={loading}>{loading ? "Registering…" : "Register patient"}</button>
      </form>
    </>
  );
}
