import { Link } from "../Link";
import "./doctor.css";

// The doctor's places in the header bar.
export function DoctorNav() {
  return (
    <nav aria-label="Doctor" className="bar-nav">
      <Link to="/app/">Today</Link>
      <Link to="/app/patients">My patients</Link>
    </nav>
  );
}
