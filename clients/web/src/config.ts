// What the router tells the app at /app/config.json (payment provider endpoint, idle logoff).
export type AppConfig = { graphqlPath: string; idleMinutes: number; stripeApiBase: string | null };

export const defaults: AppConfig = { graphqlPath: "/graphql", idleMinutes: 15, stripeApiBase: null };

export async function loadConfig(): Promise<AppConfig> {
  try {
    const response = await fetch("/app/config.json", { cache: "no-store" });
    if (!response.ok) return defaults;
    return { ...defaults, ...((await response.json()) as Partial<AppConfig>) };
  } catch {
    return defaults;
  }
}
