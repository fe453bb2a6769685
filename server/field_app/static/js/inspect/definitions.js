/**
 * Pulled checklist definitions (records of type `definitions`, bucket `defs`:
 * `{definition, status, published_at, ...}`, server/services/definitions.py).
 */
export const DEFINITIONS = 'definitions';

/** Every pulled definition record's document, by id then version. */
export async function pulledDefinitions(ctx) {
  const rows = await ctx.records(DEFINITIONS);
  return rows.map((r) => r.doc).filter((d) => d && d.definition)
    .sort((a, b) => a.definition.id.localeCompare(b.definition.id) || a.definition.version - b.definition.version);
}

/** The definition to fill: that exact version (a draft's), else the newest published one. */
export async function findDefinition(ctx, id, version = null) {
  const docs = (await pulledDefinitions(ctx)).filter((d) => d.definition.id === id);
  const pick = version != null
    ? docs.filter((d) => d.definition.version === Number(version))
    : docs.filter((d) => (d.status || 'published') === 'published');
  return pick.length ? pick[pick.length - 1].definition : null;
}
