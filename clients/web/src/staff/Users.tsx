import { useState, type FormEvent } from "react";
import { useMutation, useQuery } from "@apollo/client/react";
import type { Role } from "../gql/graphql";
import { CreateUserDocument, DisableUserDocument, ResetMfaDocument, UpdateUserRoleDocument, UserListDocument } from "./operations";
import { DeskProblem } from "./Problem";
import { Field, describedBy } from "./Field";

const ROLES: Role[] = ["ADMIN", "DOCTOR", "STAFF", "PATIENT"];
const word = (value: string) => value.charAt(0) + value.slice(1).toLowerCase();

type User = { id: string; email: string; displayName: string; role: Role; status: string; mfaEnabled: boolean };
// One change waiting for the administrator to confirm it.
type Pending = { user: User; action: "role"; role: Role } | { user: User; action: "disable" | "mfa" };

function question(p: Pending): string {
  if (p.action === "role") return `Change ${p.user.displayName}'s role from ${word(p.user.role)} to ${word(p.role)}? They are signed out everywhere and get the new role's access at their next sign-in.`;
  if (p.action === "disable") return `Disable ${p.user.displayName}? They are signed out everywhere and can no longer sign in.`;
  return `Reset ${p.user.displayName}'s two-step sign-in (MFA)? They must enrol an authenticator again at their next sign-in.`;
}

export function Users() {
  const [search, setSearch] = useState("");
  const [asked, setAsked] = useState<string | null>(null);
  const { data, error, loading, refetch } = useQuery(UserListDocument, { variables: { search: asked }, fetchPolicy: "cache-and-network" });
  const [roles, setRoles] = useState<Record<string, Role>>({});
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [changeRole] = useMutation(UpdateUserRoleDocument);
  const [disable] = useMutation(DisableUserDocument);
  const [resetMfa] = useMutation(ResetMfaDocument);
  const me = data?.me.id;
  // The same search again reloads the list (someone may have changed an account meanwhile).
  const find = (next: string | null) => (next === asked ? void refetch() : setAsked(next));

  const confirm = async () => {
    if (!pending) return;
    const request = pending; // a later request to confirm is not cleared when this one ends
    setPending(null);
    setProblem(null);
    setBusy(true);
    const { user } = request;
    try {
      if (request.action === "role") {
        await changeRole({ variables: { userId: user.id, role: request.role } });
        setDone(`${user.displayName} is now ${word(request.role)}.`);
      } else if (request.action === "disable") {
        await disable({ variables: { userId: user.id } });
        setDone(`${user.displayName} is disabled.`);
      } else {
        await resetMfa({ variables: { userId: user.id } });
        setDone(`${user.displayName}'s MFA is reset.`);
      }
      await refetch();
    } catch (caught) {
      setProblem(caught);
      setDone(null);
    } finally {
      setBusy(false);
    }
  };

  const users = data?.users.nodes ?? [];
  return (
    <>
      <h1>Users and roles</h1>
      <CreateUser onCreated={(u) => { setDone(`${u.displayName} (${u.email}) was created as ${word(u.role)}.`); setAsked(u.email); setSearch(u.email); }} />
      <h2 id="users-title">Accounts</h2>
      <form className="row" role="search" aria-label="Find users" onSubmit={(e) => { e.preventDefault(); find(search.trim() || null); }}>
        <div className="field">
          <label htmlFor="user-search">Name or email</label>
          <input id="user-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <button type="submit">Find</button>
      </form>
      {done && <p className="ok" role="status" data-testid="done">{done}</p>}
      <DeskProblem error={problem ?? error} />
      {pending && (
        <div className="confirm" role="alertdialog" aria-labelledby="confirm-text" data-testid="confirm">
          <p id="confirm-text">{question(pending)}</p>
          <button type="button" className={pending.action === "role" ? undefined : "danger"} onClick={() => void confirm()}>Yes, {pending.action === "role" ? "change the role" : pending.action === "disable" ? "disable" : "reset MFA"}</button>
          <button type="button" className="secondary" onClick={() => setPending(null)} autoFocus>Cancel</button>
        </div>
      )}
      {loading && !data && <p role="status">Loading users…</p>}
      {data && (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="users-title">
          <table data-testid="users">
            <caption>{data.users.totalCount} account{data.users.totalCount === 1 ? "" : "s"}{asked ? ` matching “${asked}”` : ""}{users.length < data.users.totalCount ? ` (first ${users.length} shown)` : ""}</caption>
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">MFA</th><th scope="col">Actions</th></tr>
            </thead>
            <tbody>
              {users.map((u) => {
                const self = u.id === me;
                const chosen = roles[u.id] ?? u.role;
                return (
                  <tr key={u.id} data-email={u.email}>
                    <th scope="row">{u.displayName}{self && " (you)"}</th>
                    <td>{u.email}</td>
                    <td>{word(u.role)}</td>
                    <td>{word(u.status)}</td>
                    <td>{u.mfaEnabled ? "On" : "Off"}</td>
                    <td>
                      {self ? (
                        <span className="muted">You cannot change your own role or disable yourself.</span>
                      ) : (
                        <div className="row">
                          <label htmlFor={`role-${u.id}`}>New role</label>
                          <select id={`role-${u.id}`} value={chosen} onChange={(e) => setRoles((r) => ({ ...r, [u.id]: e.target.value as Role }))}>
                            {ROLES.map((r) => <option key={r} value={r}>{word(r)}</option>)}
                          </select>
                          <button type="button" disabled={busy || chosen === u.role} onClick={() => { setDone(null); setPending({ user: u, action: "role", role: chosen }); }}>Change role</button>
                          <button type="button" className="danger" disabled={busy || u.status === "DISABLED"} onClick={() => { setDone(null); setPending({ user: u, action: "disable" }); }}>Disable</button>
                          <button type="button" className="secondary" disabled={busy || !u.mfaEnabled} onClick={() => { setDone(null); setPending({ user: u, action: "mfa" }); }}>Reset MFA</button>
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function CreateUser({ onCreated }: { onCreated: (user: User) => void }) {
  const [email, setEmail] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [role, setRole] = useState<Role>("STAFF");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<unknown>(null);
  const [create, { loading }] = useMutation(CreateUserDocument);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    const local: Record<string, string> = {};
    if (!email.trim()) local.email = "is required";
    if (!displayName.trim()) local.displayName = "is required";
    if (!password) local.password = "is required";
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    try {
      const { data } = await create({ variables: { input: { email: email.trim(), displayName: displayName.trim(), role, password } } });
      if (data) {
        onCreated(data.createUser);
        setEmail(""); setDisplayName(""); setPassword("");
      }
    } catch (caught) {
      setProblem(caught);
    }
  };

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="create-title">
      <h2 id="create-title">Create a user</h2>
      <Field id="new-email" label="Email" error={errors.email}>
        <input id="new-email" type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} {...describedBy("new-email", errors.email)} />
      </Field>
      <Field id="new-name" label="Display name" error={errors.displayName}>
        <input id="new-name" autoComplete="off" value={displayName} onChange={(e) => setDisplayName(e.target.value)} {...describedBy("new-name", errors.displayName)} />
      </Field>
      <Field id="new-role" label="Role">
        <select id="new-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => <option key={r} value={r}>{word(r)}</option>)}
        </select>
      </Field>
      <Field id="new-password" label="Initial password" error={errors.password}>
        <input id="new-password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} {...describedBy("new-password", errors.password)} />
      </Field>
      <DeskProblem error={problem} />
      <button type="submit" disabled={loading}>{loading ? "Creating…" : "Create user"}</button>
    </form>
  );
}
