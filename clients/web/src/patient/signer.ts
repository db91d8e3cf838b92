// Who signed a prescription, read from its compact JWS (header.payload.signature): the payload is
// the signed prescription JSON, so once the API has checked the signature these words are its.
export type Signer = { name: string; licence: string | null };

function base64UrlText(part: string): string {
  const padded = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
  const raw = atob(padded);
  const bytes = Uint8Array.from(raw, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

export function signerOf(jws: string): Signer | null {
  const payload = jws.split(".")[1];
  if (!payload) return null;
  try {
    const document = JSON.parse(base64UrlText(payload)) as { prescriber?: { name?: unknown; licence?: unknown } };
    const name = document.prescriber?.name;
    if (typeof name !== "string") return null;
    const licence = document.prescriber?.licence;
    return { name, licence: typeof licence === "string" ? licence : null };
  } catch {
    return null;
  }
}
