/**
 * The answers of an inspection draft, in exactly the shape `submit_result` sends
 * (checklists/answers.py): top-level items by id, a repeated section as a list of
 * instances `{label, answers}` under the section id.
 *
 * An item is addressed by a *path*: `item` at top level, `section[n].item` inside
 * instance n of a repeated section -- the same form sync/client/fill.py and the
 * Python visibility map (checklists.logic.visible_items) use, so a photo's `item`
 * and a problem's `item` mean the same thing everywhere.
 *
 * Pure functions, no DOM: they run in the browser and in Node (tests).
 */

const INSTANCE_PATH = /^([^[\]]+)\[(\d+)\]\.(.+)$/;

/** `{section, index, item}` of an instance path, `{item}` of a top-level one. */
export function parsePath(path) {
  const m = INSTANCE_PATH.exec(path);
  return m ? { section: m[1], index: Number(m[2]), item: m[3] } : { item: path };
}

export function instancePath(sectionId, index, itemId) {
  return `${sectionId}[${index}].${itemId}`;
}

/** The answers object an item's answer lives in (created on demand when `create`). */
function holder(answers, path, create) {
  const p = parsePath(path);
  if (p.section === undefined) return { into: answers, key: p.item };
  const instance = (answers[p.section] || [])[p.index];
  if (!instance) return null;
  if (!instance.answers && create) instance.answers = {};
  return instance.answers ? { into: instance.answers, key: p.item } : null;
}

export function answerAt(answers, path) {
  const h = holder(answers, path, false);
  return h ? h.into[h.key] : undefined;
}

/** Replace the answer at `path` by `fn(copy of it)`; a result of null or `{}` removes it. */
export function updateAnswer(answers, path, fn) {
  const h = holder(answers, path, true);
  if (!h) return;
  const next = fn(structuredClone(h.into[h.key] || {}));
  if (next == null || Object.keys(next).length === 0) delete h.into[h.key];
  else h.into[h.key] = next;
}

const isBlank = (v) => v === undefined || v === null || (typeof v === 'string' && !v.trim());

/** An answer without the empty leftovers of editing (blank notes, empty lists). */
function tidy(answer) {
  if (!answer || typeof answer !== 'object') return answer;
  const out = {};
  for (const [key, value] of Object.entries(answer)) {
    if (key === 'note' || key === 'location') {
      if (!isBlank(value)) out[key] = value;
    } else if (key === 'photos') {
      if (Array.isArray(value) && value.length) out[key] = value;
    } else if (key === 'defects') {
      if (Array.isArray(value)) out[key] = value.map(tidy);
    } else if (key === 'value') {
      if (!(value === '' || value === null || (typeof value === 'number' && !Number.isFinite(value))
            || (Array.isArray(value) && !value.length))) out[key] = value;
    } else if (key === 'na') {
      if (value === true) out[key] = true;
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * The answers to send: only items the logic shows (the server refuses answers to
 * hidden items rather than dropping them), without empty leftovers. The draft
 * keeps everything, so hiding and re-showing an item gives its answer back.
 * `shown(pathOrSectionId)` is the engine's relevance.
 */
export function pruneAnswers(answers, definition, shown) {
  const out = {};
  for (const section of definition.sections) {
    if (section.repeat) {
      const instances = answers[section.id];
      if (!shown(section.id) || !Array.isArray(instances)) continue;
      out[section.id] = instances.map((inst, n) => {
        const own = {};
        for (const item of section.items) {
          const a = tidy((inst.answers || {})[item.id]);
          if (a && Object.keys(a).length && shown(instancePath(section.id, n, item.id))) own[item.id] = a;
        }
        return { label: inst.label || '', answers: own };
      });
      continue;
    }
    for (const item of section.items) {
      if (item.type === 'calculate') continue; // computed, never answered
      const a = tidy(answers[item.id]);
      if (a && Object.keys(a).length && shown(item.id)) out[item.id] = a;
    }
  }
  return out;
}

/** Every photo sha256 the answers cite: answer and defect photos, signature images. */
export function citedPhotos(answers) {
  const found = new Set();
  const visit = (a) => {
    if (!a || typeof a !== 'object') return;
    for (const sha of a.photos || []) found.add(sha);
    for (const d of a.defects || []) for (const sha of (d && d.photos) || []) found.add(sha);
    if (a.value && typeof a.value === 'object' && !Array.isArray(a.value) && a.value.image) {
      found.add(a.value.image);
    }
  };
  for (const value of Object.values(answers)) {
    if (Array.isArray(value)) value.forEach((inst) => Object.values(inst.answers || {}).forEach(visit));
    else visit(value);
  }
  return found;
}

/**
 * Remove instance `index` of a repeated section; photo refs of later instances
 * follow their items to the new index, those of the removed one are dropped.
 */
export function removeInstance(draft, sectionId, index) {
  const list = draft.answers[sectionId];
  if (!Array.isArray(list)) return;
  list.splice(index, 1);
  draft.photos = (draft.photos || []).flatMap((ref) => {
    const p = ref.item ? parsePath(ref.item) : {};
    if (p.section !== sectionId) return [ref];
    if (p.index === index) return [];
    return [p.index > index ? { ...ref, item: instancePath(sectionId, p.index - 1, p.item) } : ref];
  });
}
