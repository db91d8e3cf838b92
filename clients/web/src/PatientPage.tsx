import { useQuery } from "@apollo/client/react";
import { PatientPageDocument } from "./operations";
import { AppointmentSections } from "./Appointments";
import { Problem } from "./Problem";
import { Link } from "./Link";

// A patient page that cannot be shown: the API's refusal (or "not found") in plain words, no data.
export function PatientUnavailable({ error }: { error: unknown }) {
  return (
    <>
      <h1>Patient</h1>
      {error ? (
        <Problem error={error} />
      ) : (
        <p role="alert" data-testid="error">We could not find this patient.</p>
      )}
      <Link to="/app/">Back to the start</Link>
    </>
  );
}

// One patient's page by id: the API decides who may open it; a refusal is shown in plain words.
export function PatientPage({ id }: { id: string }) {
  const { data, error, loading } = useQuery(PatientPageDocument, { variables: { id } });
  if (loading && !data) return <p role="status">Loading…</p>;
  const patient = data?.patient;
  if (error || !patient) return <PatientUnavailable error={error} />;
  return (
    <>
      <h1>
        {patient.givenName} {patient.familyName}
      </h1>
      <AppointmentSections rows={patient.appointments?.nodes ?? []} idPrefix="patient" />
    </>
  );
}
