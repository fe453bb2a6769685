// Repeated sections (checklists/repeats.py): answers filed under the section id as a list
// of {label, answers}; an instance's items see its own answers over the checklist's.

export function instancesOf(answers, sectionId) {
  const value = answers[sectionId];
  return Array.isArray(value) ? value : [];
}

export function instanceScope(answers, instance) {
  const own = instance && typeof instance === 'object' ? instance.answers : null;
  return own && typeof own === 'object' && !Array.isArray(own) ? { ...answers, ...own } : { ...answers };
}
