/**
 * One definition rendered as a form over a draft, kept in step with the engine.
 *
 * Every change goes: answer updated in the draft -> draft saved (at once for a
 * tap, after a pause in typing) ->
 * engine evaluates -> visibility, required marks, problems and the score preview
 * are applied to the DOM. The engine is asked twice: once on everything the draft
 * holds (which items the logic shows), then on the answers that would be sent --
 * only shown items (answers.js pruneAnswers) -- for problems and score, so the
 * preview is the score of exactly what a submit sends.
 */
import { compileDefinition, evaluate } from '../engine/index.js';
import { answerAt, updateAnswer, pruneAnswers, instancePath, removeInstance, parsePath } from './answers.js';
import { itemBody } from './items.js';
import { h } from './dom.js';
import { photoRow } from '../photos/shelf.js';
import { signaturePad } from '../photos/signature.js';
import { scoreBar, problemList } from './score_view.js';
import { problemText } from './problem_text.js';

export class FormView {
  /**
   * `scored: false` leaves out the score bar and the submit list (a checklist answered
   * inside another screen, e.g. at a patrol checkpoint); `markup: false` offers no photo
   * markup (where the server keeps none, as on a round's photos).
   */
  constructor({ ctx, definition, draft, keeper, shelf, scored = true, markup = true }) {
    Object.assign(this, { ctx, definition, draft, keeper, shelf, scored, markup });
    this.t = ctx.t;
    this.form = compileDefinition(definition);
    this.ev = null;
    this.sent = {};
    this.expanded = new Set(); // items whose photo and note fields the inspector opened
  }

  text(label) {
    if (!label) return '';
    if (typeof label === 'string') return label;
    return (this.ctx.lang === 'en' ? label.en : label.zh) || label.zh || label.en || '';
  }

  answer(path) {
    return answerAt(this.draft.answers, path);
  }

  /** Change the answer at `path`; rebuild its item unless the user is typing in it. */
  update(path, fn, { rerender = true } = {}) {
    updateAnswer(this.draft.answers, path, fn);
    this.changed({ now: rerender }); // typing (no rebuild) is saved after a pause
    if (rerender) this.rerender(path);
  }

  changed({ now = true } = {}) {
    this.keeper.changed({ now });
    this.evaluate();
  }

  evaluate() {
    const all = evaluate(this.form, this.draft.answers);
    this.sent = pruneAnswers(this.draft.answers, this.definition, (id) => all.relevant(id));
    this.ev = evaluate(this.form, this.judged(this.sent));
    this.apply();
    return this.ev;
  }

  /** The answers problems and score are judged on: what is sent (a screen may add evidence). */
  judged(sent) {
    return sent;
  }

  /** The draft's photo ref of `sha` (its markup lives there). */
  photoRef(sha) {
    return this.draft.photos.find((p) => p.sha256 === sha);
  }

  /** A photo row bound to a list of sha256 inside the answer at `path`. */
  photos(path, get, set, needed) {
    return photoRow({
      shelf: this.shelf, t: this.t, required: needed,
      shas: get(this.answer(path) || {}),
      markupOf: this.markup ? (sha) => this.photoRef(sha)?.annotations : null,
      beforeCamera: () => {
        // a phone short of memory may kill the browser while the camera app is open:
        // the draft remembers where the photo was going, and reopens there
        this.draft.pending_photo = path;
        this.keeper.flush();
      },
      onAdded: (ref) => {
        delete this.draft.pending_photo;
        if (!this.photoRef(ref.sha256)) this.draft.photos.push({ ...ref, item: path });
        this.update(path, (a) => set(a, [...new Set([...get(a), ref.sha256])]));
      },
      onRemove: (sha) => {
        this.update(path, (a) => set(a, get(a).filter((s) => s !== sha)));
      },
      onMarkup: (sha, markup) => {
        const ref = this.photoRef(sha);
        if (ref) ref.annotations = markup;
        this.changed();
        this.rerender(path);
      },
      onError: (err) => this.flash(err.message || String(err)),
    });
  }

  async sign(path) {
    const blob = await signaturePad({ t: this.t });
    if (!blob) return;
    const ref = await this.shelf.add(blob, 'signature');
    if (!this.photoRef(ref.sha256)) this.draft.photos.push({ ...ref, item: path });
    this.update(path, (a) => ({ ...a, value: { ...(a.value || {}), image: ref.sha256 } }));
  }

  flash(message) {
    const note = h('div', { className: 'fi-flash', role: 'alert' }, message);
    this.root.append(note);
    setTimeout(() => note.remove(), 5000);
  }

  // -- rendering ------------------------------------------------------------------
  render(el) {
    this.root = el;
    const body = h('div', { className: 'fi-sections' }, ...this.definition.sections.map((s) => this.section(s)));
    if (this.scored) {
      this.bar = scoreBar(this);
      this.problemBox = problemList(this);
      el.replaceChildren(body, this.problemBox.el, this.bar.el);
    } else {
      el.replaceChildren(body);
    }
    this.evaluate();
    if (this.draft.pending_photo) { // back after the browser was killed behind the camera
      const path = this.draft.pending_photo;
      delete this.draft.pending_photo;
      requestAnimationFrame(() => this.jumpTo(path));
    }
  }

  section(section) {
    const box = h('section', { className: 'fi-section', dataset: { section: section.id } },
      h('h3', {}, this.text(section.title)));
    if (!section.repeat) {
      box.append(...section.items.map((item) => this.item(item, item.id)));
      return box;
    }
    const list = h('div', { className: 'fi-instances' });
    const paint = () => {
      const instances = this.draft.answers[section.id] || [];
      list.replaceChildren(...instances.map((inst, n) => this.instance(section, inst, n, paint)));
      add.disabled = instances.length >= section.repeat.max;
    };
    const add = h('button', { type: 'button', className: 'fi-instance-add', onclick: () => {
      const instances = (this.draft.answers[section.id] ||= []);
      instances.push({ label: '', answers: {} });
      paint();
      this.changed();
    } }, this.t('forms.repeat.add', { what: this.text(section.repeat.label) }));
    paint();
    box.append(list, add);
    return box;
  }

  instance(section, inst, n, repaint) {
    const label = h('input', { type: 'text', className: 'fi-input fi-instance-label', value: inst.label || '', maxlength: 100,
      placeholder: this.text(section.repeat.label), 'aria-label': this.text(section.repeat.label) });
    label.addEventListener('input', () => {
      this.draft.answers[section.id][n].label = label.value;
      this.changed({ now: false });
    });
    const remove = h('button', { type: 'button', className: 'fi-instance-remove', onclick: () => {
      const name = this.draft.answers[section.id][n]?.label || `#${n + 1}`;
      if (!confirm(this.t('forms.repeat.remove_confirm', { what: name }))) return;
      removeInstance(this.draft, section.id, n);
      repaint();
      this.changed();
    } }, this.t('forms.repeat.remove'));
    return h('div', { className: 'fi-instance', dataset: { index: String(n) } },
      h('div', { className: 'fi-instance-head' }, label, remove),
      ...section.items.map((item) => this.item(item, instancePath(section.id, n, item.id))));
  }

  item(item, path) {
    const body = h('div', { className: 'fi-body' }, ...itemBody(this, item, path));
    return h('div', { className: 'fi-item', dataset: { path, item: item.id, type: item.type }, tabindex: '-1' },
      h('div', { className: 'fi-head' }, h('span', { className: 'fi-label' }, this.text(item.label)),
        h('span', { className: 'fi-req', 'aria-hidden': 'true' }, '*')),
      item.help ? h('p', { className: 'fi-help' }, this.text(item.help)) : null,
      body,
      h('ul', { className: 'fi-problems' }));
  }

  sectionOf(id) {
    return this.definition.sections.find((s) => s.id === id || s.items.some((it) => it.id === id)) || null;
  }

  itemOf(path) {
    const { section, item } = parsePath(path);
    const sections = section ? this.definition.sections.filter((s) => s.id === section) : this.definition.sections;
    for (const s of sections) for (const it of s.items) if (it.id === item) return it;
    return null;
  }

  rerender(path) {
    const node = this.root?.querySelector(`.fi-item[data-path="${CSS.escape(path)}"]`);
    const item = this.itemOf(path);
    if (node && item) node.querySelector('.fi-body').replaceChildren(...itemBody(this, item, path));
    this.apply();
  }

  // -- applying an evaluation --------------------------------------------------------
  apply() {
    if (!this.root || !this.ev) return;
    const ev = this.ev;
    for (const node of this.root.querySelectorAll('.fi-section')) {
      node.hidden = !ev.relevant(node.dataset.section);
    }
    const byPath = new Map();
    for (const p of ev.problems) {
      const key = this.problemPath(p);
      byPath.set(key, [...(byPath.get(key) || []), p]);
    }
    for (const node of this.root.querySelectorAll('.fi-item')) {
      const path = node.dataset.path;
      node.hidden = !ev.relevant(path);
      node.classList.toggle('required', !!ev.required(path));
      const mine = byPath.get(path) || [];
      node.classList.toggle('has-problem', mine.length > 0);
      node.querySelector('.fi-problems').replaceChildren(...mine.map((p) => h('li', {}, this.problemText(p))));
      const calculated = node.querySelector('.fi-calculated');
      if (calculated && typeof ev.calculated === 'function') {
        const value = ev.calculated(path);
        calculated.textContent = value === null || value === undefined ? this.t('forms.calculated') : `= ${value}`;
      }
    }
    this.bar?.update(ev);
    this.problemBox?.update(ev.problems);
  }

  /**
   * The item path a problem is about: from the server's error key when the engine
   * gives it (`answers.sec[0].answers.item.field` -> `sec[0].item`), else its item.
   */
  problemPath(problem) {
    const raw = String(problem.path || problem.item || '').replace(/^answers\./, '')
      .replace(/\[(\d+)\]\.answers\./g, '[$1].');
    const paths = [...this.root.querySelectorAll('.fi-item')].map((n) => n.dataset.path);
    if (paths.includes(raw)) return raw;
    return paths.filter((p) => raw.startsWith(`${p}.`) || raw.startsWith(`${p}[`))
      .sort((a, b) => b.length - a.length)[0] || raw;
  }

  problemText(problem) {
    return problemText(this.t, problem);
  }

  /** Scroll to an item (from a problem or a deduction) and focus its first input. */
  jumpTo(path) {
    const { section, index } = parsePath(path);
    const node = this.root.querySelector(`.fi-item[data-path="${CSS.escape(path)}"]`)
      || (section !== undefined && this.root.querySelector(
        `.fi-section[data-section="${CSS.escape(section)}"] .fi-instance[data-index="${index}"]`))
      || this.root.querySelector(`.fi-section[data-section="${CSS.escape(path)}"]`);
    if (!node) return;
    node.scrollIntoView({ block: 'center' });
    const input = node.querySelector('input, textarea, select, button');
    (input || node).focus({ preventScroll: true });
    node.classList.add('flash');
    setTimeout(() => node.classList.remove('flash'), 1500);
  }
}
