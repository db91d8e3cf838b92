import { useState } from "react";
import { useQuery } from "@apollo/client/react";
import { MyAccessLogDocument, MyPatientIdDocument } from "./operations";
import { Problem } from "../Problem";
import { when } from "../format";

type Entry = {
  sequence: number;
  at: string;
  actorUserId: string;
  actorName?: string | null;
  actorRole?: string | null;
  action: string;
  allowed: boolean;
  reason?: string | null;
  denialMessage?: string | null;
  breakGlass: boolean;
  parts: { type: string }[];
};

const ROLES: Record<string, string> = {
  ADMIN: "an administrator",
  DOCTOR: "a doctor",
  STAFF: "a member of staff",
  PATIENT: "a patient",
};

const PARTS: Record<string, string> = {
  patient: "your personal details",
  appointment: "an appointment",
  medical_record: "a medical record",
  prescription: "a prescription",
  care_team: "your care team",
  access_log: "this access log",
  invoice: "an invoice",
};

const ACTIONS: Record<string, string> = {
  read: "Looked at",
  write: "Changed",
  break_glass: "Opened emergency access to",
};

function who(entry: Entry, myUserId: string): string {
  if (entry.actorUserId === myUserId) return "You";
  const role = ROLES[entry.actorRole ?? ""] ?? "someone";
  return entry.actorName ? `${entry.actorName} (${role.replace(/^an? /, "")})` : `Someone (${role.replace(/^an? /, "")})`;
}

function what(entry: Entry): string {
  const parts = [...new Set(entry.parts.map((part) => PARTS[part.type] ?? part.type.replace(/_/g, " ")))];
  const named = parts.length ? parts.join(", ") : "your record";
  if (!entry.allowed) return `Tried to open ${named} and was refused`;
  return `${ACTIONS[entry.action] ?? entry.action.replace(/_/g, " ")} ${named}`;
}

// Who accessed the signed-in patient's record (the access audit trail), newest first, paged.
export function AccessLog() {
  const me = useQuery(MyPatientIdDocument);
  const patientId = me.data?.me.patient?.id;
  const [after, setAfter] = useState<string | null>(null);
  const [earlier, setEarlier] = useState<Entry[]>([]);
  const [mine, setMine] = useState(false);
  const { data, error, loading, refetch } = useQuery(MyAccessLogDocument, {
    variables: { patientId: patientId ?? "", after },
    skip: !patientId,
    fetchPolicy: "network-only",
  });

  if (me.loading && !me.data) return <p role="status">Loading…</p>;
  if (me.error && !me.data) return <Problem error={me.error} />;
  if (!patientId) return <p>There is no patient record linked to this account.</p>;
  const log = data?.accessLog;
  const entries = [...earlier, ...(log?.nodes ?? [])];
  const myUserId = me.data?.me.id ?? "";
  const shown = mine ? entries : entries.filter((entry) => entry.actorUserId !== myUserId);
  const hidden = entries.length - shown.length;

  const newest = () => {
    setEarlier([]);
    if (after === null) void refetch();
    else setAfter(null);
  };

  const older = () => {
    if (!log?.pageInfo.endCursor) return;
    setEarlier(entries);
    setAfter(log.pageInfo.endCursor);
  };

  return (
    <>
      <h1>Who accessed my record</h1>
      <p>
        Every time someone opens or changes your record it is written down here, newest first.
        Emergency (“break-glass”) access by someone outside your care team is marked.
      </p>
      <Problem error={error} />
      {loading && !log && <p role="status">Loading the access log…</p>}
      <p className="tools">
        <button type="button" onClick={newest} disabled={loading}>
          Refresh
        </button>
        <label className="check">
          <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} /> Include my own
          activity
        </label>
      </p>
      {log && shown.length === 0 && (
        <p data-testid="log-empty">
          {entries.length === 0 ? "Nobody has accessed your record yet." : "Nobody else accessed your record in these entries."}
        </p>
      )}
      {shown.length > 0 && (
        <ol className="list log" aria-label="Accesses to my record">
          {shown.map((entry) => (
            <li key={entry.sequence} data-sequence={entry.sequence} data-break-glass={entry.breakGlass ? "true" : "false"}
              className={entry.breakGlass ? "break-glass" : undefined}>
              <div>
                <strong className="who">{who(entry, myUserId)}</strong>{" "}
                <span className="what">{what(entry)}</span>
              </div>
              <div className="when">
                <time dateTime={entry.at}>{when(entry.at)}</time>
              </div>
              {entry.breakGlass && (
                <div className="flag" data-testid="break-glass">
                  ⚠ Emergency (break-glass) access{entry.reason && entry.allowed ? `: “${entry.reason}”` : ""}
                </div>
              )}
              {!entry.allowed && entry.denialMessage && <div className="refused">{entry.denialMessage}</div>}
            </li>
          ))}
        </ol>
      )}
      {hidden > 0 && !mine && (
        <p className="hint">{hidden === 1 ? "1 entry of your own is" : `${hidden} entries of your own are`} not shown.</p>
      )}
      {log?.pageInfo.hasNextPage && (
        <button type="button" onClick={older} disabled={loading}>
          Show older entries
        </button>
      )}
    </>
  );
}
