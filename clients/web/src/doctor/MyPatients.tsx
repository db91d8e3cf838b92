import { useState, type FormEvent } from "react";
import { useQuery } from "@apollo/client/react";
import { MyPatientsDocument } from "./operations";
import { Problem } from "../Problem";
import { Link } from "../Link";
import "./doctor.css";

// The doctor's patients (their care team's: the API lists only those), searchable by name or MRN.
export function MyPatients() {
  const [typed, setTyped] = useState("");
  const [search, setSearch] = useState<string | null>(null);
  const { data, error, loading } = useQuery(MyPatientsDocument, {
    variables: { search },
    fetchPolicy: "cache-and-network",
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSearch(typed.trim() || null);
  };
  const patients = data?.patients?.nodes ?? [];
  return (
    <>
      <h1>My patients</h1>
      <form className="search" role="search" onSubmit={submit}>
        <label htmlFor="patient-search">Name or medical record number</label>
        <input id="patient-search" type="search" value={typed} onChange={(e) => setTyped(e.target.value)} />
        <button type="submit">Search</button>
      </form>
      <Problem error={error} />
      {loading && !data ? (
        <p role="status">Loading your patients…</p>
      ) : patients.length === 0 ? (
        <p>{search ? "No patient of yours matches." : "No patients in your care yet."}</p>
      ) : (
        <ul className="list" aria-label="My patients">
          {patients.map((patient) => (
            <li key={patient.id} data-patient={patient.id}>
              <Link to={`/app/patients/${encodeURIComponent(patient.id)}`}>
                {patient.familyName}, {patient.givenName}
              </Link>
              <span className="hint">
                born {new Date(`${patient.dateOfBirth}T00:00:00`).toLocaleDateString(undefined, { dateStyle: "medium" })} · MRN{" "}
                {patient.mrn}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
