import { useState, type FormEvent } from "react";
import { useMutation } from "@apollo/client/react";
import type { PrescriptionFieldsFragment, PrescriptionRoute } from "../gql/graphql";
import { IssuePrescriptionDocument } from "./operations";
import { FormEnd, SelectField, TextField, useFieldChecks } from "./Field";
import { numberProblem, type FieldErrors } from "./fieldErrors";

const ROUTES: Record<PrescriptionRoute, string> = {
  ORAL: "By mouth (oral)",
  SUBLINGUAL: "Under the tongue (sublingual)",
  BUCCAL: "In the cheek (buccal)",
  TOPICAL: "On the skin (topical)",
  TRANSDERMAL: "Skin patch (transdermal)",
  INHALED: "Inhaled",
  NASAL: "In the nose (nasal)",
  OPHTHALMIC: "In the eye (ophthalmic)",
  OTIC: "In the ear (otic)",
  RECTAL: "Rectal",
  VAGINAL: "Vaginal",
  INTRAVENOUS: "Into a vein (intravenous)",
  INTRAMUSCULAR: "Into a muscle (intramuscular)",
  SUBCUTANEOUS: "Under the skin (subcutaneous)",
};

export function routeLabel(route: PrescriptionRoute): string {
  return ROUTES[route] ?? route;
}

type Values = {
  medication: string;
  dose: string;
  route: PrescriptionRoute;
  frequency: string;
  quantity: string;
  refills: string;
  instructions: string;
};

const TEXTS = [
  { key: "medication", max: 200, missing: "Name the medication, with its strength." },
  { key: "dose", max: 100, missing: "Give the dose, for example 500 mg." },
  { key: "frequency", max: 100, missing: "Say how often, for example twice a day." },
] as const;

function check(values: Values): FieldErrors {
  const errors: FieldErrors = {};
  for (const { key, max, missing } of TEXTS) {
    if (!values[key].trim()) errors[key] = missing;
    else if (values[key].trim().length > max) errors[key] = `At most ${max} characters.`;
  }
  if (!values.quantity.trim()) errors.quantity = "Give the quantity to dispense.";
  const quantity = numberProblem(values.quantity, { min: 1, max: 1000, integer: true, what: "The quantity" });
  if (quantity) errors.quantity = quantity;
  const refills = numberProblem(values.refills, { min: 0, max: 12, integer: true, what: "Refills" });
  if (refills) errors.refills = refills;
  if (values.instructions.length > 2000) errors.instructions = "At most 2,000 characters.";
  return errors;
}

// A doctor issues a prescription; the API signs it, and the signed one is handed to `onIssued`.
export function PrescriptionForm({
  patientId,
  onIssued,
  onCancel,
}: {
  patientId: string;
  onIssued: (prescription: PrescriptionFieldsFragment) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState<Values>({
    medication: "",
    dose: "",
    route: "ORAL",
    frequency: "",
    quantity: "",
    refills: "0",
    instructions: "",
  });
  const { errors, problem, submit: checked } = useFieldChecks("rx", (path) => (path in values ? path : null));
  const [issue, { loading }] = useMutation(IssuePrescriptionDocument);
  const set = (key: keyof Values) => (value: string) => setValues((old) => ({ ...old, [key]: value }));
  const field = (key: keyof Values) => ({ id: `rx-${key}`, value: values[key], onChange: set(key), error: errors[key] });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void checked(check(values), async () => {
      const { data } = await issue({
        variables: {
          input: {
            patientId,
            medication: values.medication.trim(),
            dose: values.dose.trim(),
            route: values.route,
            frequency: values.frequency.trim(),
            quantity: Number(values.quantity),
            refills: values.refills.trim() ? Number(values.refills) : 0,
            instructions: values.instructions.trim(),
          },
        },
      });
      if (data) onIssued(data.issuePrescription);
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="rx-title" data-testid="new-prescription">
      <h3 id="rx-title">New prescription</h3>
      <p className="hint">It is signed when you issue it; it can be revoked later but never edited.</p>
      <TextField {...field("medication")} label="Medication" hint="Name and strength, for example Amoxicillin 500 mg capsules" required />
      <div className="pair">
        <TextField {...field("dose")} label="Dose" hint="For example 500 mg" required />
        <SelectField
          {...field("route")}
          label="Route"
          options={Object.entries(ROUTES).map(([value, label]) => ({ value, label }))}
        />
      </div>
      <TextField {...field("frequency")} label="How often" hint="For example three times a day for 5 days" required />
      <div className="pair">
        <TextField {...field("quantity")} label="Quantity" inputMode="numeric" required />
        <TextField {...field("refills")} label="Refills" inputMode="numeric" hint="0 to 12" />
      </div>
      <TextField {...field("instructions")} label="Instructions for the patient" multiline />
      <FormEnd errors={errors} problem={problem} busy={loading} label="Issue and sign" onCancel={onCancel} />
    </form>
  );
}
