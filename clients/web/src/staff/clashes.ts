// Which booked appointments an absence covers: the API keeps them booked (an exception changes
// only the free slots), so the desk is told whom to call.

// "YYYY-MM-DD" and "HH:MM" of an instant on the doctor's wall clock.
export function wallClock(iso: string, timeZone: string): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

// UTC bounds wide enough to hold a local day in any time zone.
export function around(date: string): { from: string; to: string } {
  const day = Date.parse(`${date}T00:00:00Z`);
  return { from: new Date(day - 86_400_000).toISOString(), to: new Date(day + 2 * 86_400_000).toISOString() };
}

type Booked = { startsAt: string; endsAt: string; status: string };

// Active appointments starting on `date` (between `from` and `to`, "HH:MM", when given).
export function covered<T extends Booked>(rows: T[], timeZone: string, date: string, from: string, to: string): T[] {
  return rows.filter((row) => {
    if (row.status !== "BOOKED" && row.status !== "CHECKED_IN") return false;
    const start = wallClock(row.startsAt, timeZone);
    const end = wallClock(row.endsAt, timeZone);
    if (start.date !== date) return false;
    return !from || !to || (start.time < to && (end.date !== date || end.time > from));
  });
}
