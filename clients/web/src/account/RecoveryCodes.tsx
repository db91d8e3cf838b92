// Recovery codes are shown once: each lets the person in once if they lose their phone.
export function RecoveryCodes({ codes, onDone, doneLabel }: {
  codes: string[];
  onDone?: () => void;
  doneLabel?: string;
}) {
  return (
    <section aria-labelledby="recovery-title" className="card wide" data-testid="recovery-codes">
      <h2 id="recovery-title">Your recovery codes</h2>
      <p>
        Keep these somewhere safe, such as a password manager or a printed page. Each code signs
        you in once if you lose your authenticator app. <strong>They are shown only now.</strong>
      </p>
      <ol className="codes">
        {codes.map((code) => (
          <li key={code}><code>{code}</code></li>
        ))}
      </ol>
      {onDone && <button type="button" onClick={onDone}>{doneLabel ?? "I have saved them"}</button>}
    </section>
  );
}
