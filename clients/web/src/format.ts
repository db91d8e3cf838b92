export function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function money(value: { amount: string; currency: string }): string {
  return `${value.amount} ${value.currency}`;
}
