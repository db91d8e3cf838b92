// PayPal's buyer approval, as PayPal's own checkout does it: in a window of its own, so this
// window keeps its session (tokens live in memory only). PayPal sends that window back to the
// app's return or cancel page (/app/paypal/return|cancel?token=<order id>), which tells this
// window over a same-origin BroadcastChannel and closes itself.

export const RETURN_PREFIX = "/app/paypal/";
const CHANNEL = "healthgraph-paypal";

export type PayPalOutcome = { outcome: "approved" | "cancelled"; token: string };

export function openApprovalWindow(): Window | null {
  const popup = window.open("", "healthgraph-paypal", "popup,width=520,height=680");
  if (popup) popup.document.title = "Opening PayPal…";
  return popup;
}

export function listenForPayPal(onOutcome: (outcome: PayPalOutcome) => void): () => void {
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event: MessageEvent<PayPalOutcome>) => {
    if (event.data && typeof event.data.token === "string") onOutcome(event.data);
  };
  return () => channel.close();
}

// On the return or cancel page: what PayPal said, or null on any other page.
export function outcomeOf(location: Location): PayPalOutcome | null {
  const kind = location.pathname.slice(RETURN_PREFIX.length).replace(/\/$/, "");
  const token = new URLSearchParams(location.search).get("token");
  if (!token || !location.pathname.startsWith(RETURN_PREFIX)) return null;
  if (kind === "return") return { outcome: "approved", token };
  if (kind === "cancel") return { outcome: "cancelled", token };
  return null;
}

export function reportOutcome(outcome: PayPalOutcome): void {
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage(outcome);
  channel.close();
}
