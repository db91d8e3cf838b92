// Saving what the API sent (a prescription's PDF as base64, a report's CSV as text) as a file in
// the browser: the bytes stay in the page (fetched through the router with the session's token),
// so there is no link to a server with a token in it, and no extra origin for the CSP.

function saveBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function saveBase64(filename: string, contentType: string, base64: string): void {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  saveBlob(filename, new Blob([bytes], { type: contentType }));
}

export function saveText(filename: string, contentType: string, text: string): void {
  saveBlob(filename, new Blob([text], { type: contentType }));
}
