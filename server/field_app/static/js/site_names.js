// Site names for the screens that show or choose a site. The device already pulls each of
// its sites' records (type `sites`, bucket `site:<id>`: {id, code, name, timezone}), so a
// name is known offline; an id with no pulled record yet shows as it is.

export const SITES = 'sites';

/** `name(id)`: the site's name, else its code, else the id. */
export async function siteNames(ctx) {
  const rows = await ctx.records(SITES);
  const names = new Map(rows.map((r) => r.doc).filter((d) => d && d.id)
    .map((d) => [d.id, d.name || d.code || d.id]));
  return (id) => names.get(id) || id;
}
