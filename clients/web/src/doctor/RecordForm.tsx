import { useState, type FormEvent } from "react";
import { useMutation } from "@apollo/client/react";
import type { RecordFieldsFragment, VitalsInput } from "../gql/graphql";
import { CreateRecordDocument, UpdateRecordDocument } from "./operations";
import { FormEnd, SelectField, TextField, useFieldChecks } from "./Field";
import { numberOrNull, numberProblem, type FieldErrors } from "./fieldErrors";
import { when } from "../format";

// The vital signs the form asks for, their bounds (the API's, in plain words) and API names.
const VITALS = [
  { key: "temperature", api: "temperatureC", label: "Temperature (°C)", min: 25, max: 45, integer: false },
  { key: "heartRate", api: "heartRateBpm", label: "Heart rate (beats a minute)", min: 10, max: 300, integer: true },
  { key: "systolic", api: "systolicMmhg", label: "Blood pressure, systolic (mmHg)", min: 40, max: 300, integer: true },
  { key: "diastolic", api: "diastolicMmhg", label: "Blood pressure, diastolic (mmHg)", min: 20, max: 200, integer: true },
  { key: "oxygen", api: "oxygenSaturation", label: "Oxygen saturation (%)", min: 40, max: 100, integer: true },
  { key: "weight", api: "weightKg", label: "Weight (kg)", min: 0.1, max: 700, integer: false },
] as const;

type VitalKey = (typeof VITALS)[number]["key"];
type Values = { appointment: string; notes: string; diagnosisCode: string; diagnosisText: string } & Record<VitalKey, string>;

// ICD-10 as written by hand: a letter, two digits, then optionally a dot and up to 4 more.
const ICD10 = /^[A-Za-z][0-9][0-9A-Za-z](\.?[0-9A-Za-z]{1,4})?$/;

function startValues(record?: RecordFieldsFragment, visit?: Visit): Values {
  const vitals = record?.vitals;
  const first = record?.diagnoses[0];
  const text = (value: number | null | undefined) => (value == null ? "" : String(value));
  return {
    appointment: record?.appointmentId ?? visit?.id ?? "",
    notes: record?.notes ?? "",
    diagnosisCode: first?.code ?? "",
    diagnosisText: first?.text ?? "",
    temperature: text(vitals?.temperatureC),
    heartRate: text(vitals?.heartRateBpm),
    systolic: text(vitals?.systolicMmhg),
    diastolic: text(vitals?.diastolicMmhg),
    oxygen: text(vitals?.oxygenSaturation),
    weight: text(vitals?.weightKg),
  };
}

function check(values: Values): FieldErrors {
  const errors: FieldErrors = {};
  if (!values.notes.trim()) errors.notes = "Write a note about the visit.";
  else if (values.notes.length > 20000) errors.notes = "The note is too long (at most 20,000 characters).";
  const code = values.diagnosisCode.trim();
  const text = values.diagnosisText.trim();
  if (code && !ICD10.test(code)) errors.diagnosisCode = "Use an ICD-10 code, such as J20.9.";
  if (code && !text) errors.diagnosisText = "Describe the diagnosis too.";
  if (text && !code) errors.diagnosisCode = "Give the diagnosis's ICD-10 code too, such as J20.9.";
  for (const vital of VITALS) {
    const problem = numberProblem(values[vital.key], { ...vital, what: vital.label.replace(/ \(.*\)$/, "") });
    if (problem) errors[vital.key] = problem;
  }
  return errors;
}

// An API path ("vitals.heartRateBpm", "diagnoses.0.code") as this form's field, if it has one.
function formField(path: string): string | null {
  if (path === "notes") return "notes";
  if (path === "appointmentId") return "appointment";
  if (path === "diagnoses.0.code" || path === "diagnoses") return "diagnosisCode";
  if (path === "diagnoses.0.text") return "diagnosisText";
  const vital = VITALS.find((v) => path === `vitals.${v.api}`);
  return vital ? vital.key : null;
}

function vitalsInput(values: Values, before?: RecordFieldsFragment["vitals"]): VitalsInput | null {
  const merged: Record<string, unknown> = { ...(before ?? {}) };
  delete merged.__typename;
  for (const vital of VITALS) merged[vital.api] = numberOrNull(values[vital.key]);
  return Object.values(merged).some((v) => v != null) ? (merged as VitalsInput) : null;
}

type Visit = { id: string; startsAt: string; reason?: string | null };

// A new record entry for a patient, or (given `record`) a new version of one. The API's own
// checks come back per field too; the saved record is handed to `onSaved`.
export function RecordForm({
  patientId,
  record,
  visits,
  onSaved,
  onCancel,
}: {
  patientId: string;
  record?: RecordFieldsFragment;
  visits: Visit[];
  onSaved: (record: RecordFieldsFragment) => void;
  onCancel: () => void;
}) {
  // a visit of today is what the entry is most likely about
  const today = visits.find((v) => new Date(v.startsAt).toDateString() === new Date().toDateString());
  const [values, setValues] = useState<Values>(() => startValues(record, today));
  const prefix = record ? `edit-${record.id}` : "new-record";
  const { errors, problem, submit: checked } = useFieldChecks(prefix, formField);
  const [create, created] = useMutation(CreateRecordDocument);
  const [update, updated] = useMutation(UpdateRecordDocument);
  const set = (key: keyof Values) => (value: string) => setValues((old) => ({ ...old, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const code = values.diagnosisCode.trim();
    const diagnosis = code ? [{ code, text: values.diagnosisText.trim(), primary: true }] : [];
    void checked(check(values), async () => {
      if (record) {
        const rest = record.diagnoses.slice(1).map(({ code, text, primary }) => ({ code, text, primary }));
        const { data } = await update({
          variables: {
            input: {
              recordId: record.id,
              expectedVersion: record.version,
              notes: values.notes,
              diagnoses: [...diagnosis, ...rest.map((d) => (diagnosis.length ? { ...d, primary: false } : d))],
              vitals: vitalsInput(values, record.vitals),
            },
          },
        });
        if (data) onSaved(data.updateMedicalRecord);
      } else {
        const { data } = await create({
          variables: {
            input: {
              patientId,
              appointmentId: values.appointment || null,
              notes: values.notes,
              diagnoses: diagnosis,
              vitals: vitalsInput(values),
            },
          },
        });
        if (data) onSaved(data.createMedicalRecord);
      }
    });
  };

  const field = (key: keyof Values) => ({ id: `${prefix}-${key}`, value: values[key], onChange: set(key), error: errors[key] });
  const title = record ? "Edit the record entry" : "New record entry";
  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby={`${prefix}-title`} data-testid={prefix}>
      <h3 id={`${prefix}-title`}>{title}</h3>
      {record && <p className="hint">Saving keeps version {record.version} in the history and makes version {record.version + 1}.</p>}
      {!record && visits.length > 0 && (
        <SelectField
          {...field("appointment")}
          label="Visit"
          options={[
            { value: "", label: "No appointment (walk-in)" },
            ...visits.map((v) => ({ value: v.id, label: `${when(v.startsAt)}${v.reason ? ` · ${v.reason}` : ""}` })),
          ]}
        />
      )}
      <TextField {...field("notes")} label="Notes" multiline required />
      <div className="pair">
        <TextField {...field("diagnosisCode")} label="Diagnosis code (ICD-10)" hint="For example J20.9" />
        <TextField {...field("diagnosisText")} label="Diagnosis" />
      </div>
      <fieldset>
        <legend>Vital signs (optional)</legend>
        <div className="grid">
          {VITALS.map((vital) => (
            <TextField key={vital.key} {...field(vital.key)} label={vital.label} inputMode={vital.integer ? "numeric" : "decimal"} />
          ))}
        </div>
      </fieldset>
      <FormEnd
        errors={errors}
        problem={problem}
        busy={created.loading || updated.loading}
        label={record ? "Save a new version" : "Save the entry"}
        onCancel={onCancel}
      />
    </form>
  );
}
