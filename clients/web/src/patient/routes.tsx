import type { ReactNode } from "react";
import { Link } from "../Link";
import { BookAppointment } from "./BookAppointment";
import { MyRecords } from "./MyRecords";

// The patient's screens beyond the start page, by path (null: not one of them).
export function patientScreen(path: string): ReactNode | null {
  const page = path.replace(/\/+$/, "");
  if (page === "/app/book") return <BookAppointment />;
  if (page === "/app/records") return <MyRecords />;
  return null;
}

export function PatientNav() {
  return (
    <nav aria-label="My pages" className="nav">
      <Link to="/app/">Appointments</Link>
      <Link to="/app/book">Book</Link>
      <Link to="/app/records">Records</Link>
    </nav>
  );
}
