// What the logged-in user has to do, from pulled records only (works offline); mirrors
// sync/client/worklist.py (occurrences, complaints), patrol.py (rounds) and ticket_work.py
// (tickets with the moves this device has queued).
import { PENDING } from './outbox_states.js';

const DAY_MS = 24 * 3600 * 1000;
const FINAL = new Set(['done', 'cancelled', 'missed']);
const TICKET_DONE = new Set(['fixed', 'verified', 'closed']);
const TICKET_MUTATIONS = new Set(['move_ticket', 'comment_ticket', 'edit_ticket', 'attach_ticket_photos']);

/** checklists.plans.state_at: the state of an occurrence at `now` (ms). */
export function occurrenceState(occ, now) {
  if (occ.status === 'done' || occ.status === 'cancelled') return occ.status;
  if (now < Date.parse(occ.start)) return 'upcoming';
  if (now < Date.parse(occ.due_at)) return 'due';
  if (now < Date.parse(occ.closes_at)) return 'overdue';
  return 'missed';
}

function assignedOccurrence(occ, me) {
  if (occ.assignee_user_id !== null && occ.assignee_user_id !== undefined) {
    return occ.assignee_user_id === me.user_id;
  }
  return occ.assignee_role === me.role;
}

/** Plan occurrences (inspections) open for me, starting before now + 1 day. */
export function inspections(occurrences, me, now) {
  return occurrences.map((r) => r.doc).filter((o) => o && assignedOccurrence(o, me)).map((o) => (
    { kind: 'inspection', id: o.id, title: o.name, state: occurrenceState(o, now), due_at: o.due_at,
      start: o.start, href: `#/inspect/${encodeURIComponent(o.checklist_id)}?occurrence=${encodeURIComponent(o.id)}` }))
    .filter((i) => !FINAL.has(i.state) && Date.parse(i.start) < now + DAY_MS);
}

/** Patrol rounds still to walk by me (sync/client/patrol.py PatrolRounds.mine). */
export function rounds(occurrences, me, now) {
  const mine = (o) => (o.assignees && 'post' in o.assignees ? me.role === 'guard'
    : ((o.assignees && o.assignees.guards) || []).includes(me.user_id));
  return occurrences.map((r) => r.doc)
    .filter((o) => o && o.status === 'scheduled' && !o.round_id && mine(o)
      && Date.parse(o.start) < now + DAY_MS && Date.parse(o.deadline) > now)
    .map((o) => ({ kind: 'round', id: o.id, title: o.route_id, state: Date.parse(o.late_after) < now ? 'overdue' : 'scheduled',
                   due_at: o.deadline, start: o.start,
                   href: `#/patrol/${encodeURIComponent(o.route_id)}?occurrence=${encodeURIComponent(o.id)}` }));
}

/** Complaint tasks assigned to me and still open; `category(code)` names a category (the
 *  app's texts: the record holds its code, e.g. `repair`). */
export function complaints(tasks, me, now, category = (code) => code) {
  return tasks.map((r) => r.doc)
    .filter((d) => d && d.status === 'assigned' && d.assignee_user_id === me.user_id)
    .map((d) => ({ kind: 'complaint', id: d.complaint_id, title: `${d.unit} ${category(d.category)}: ${d.description}`,
                   state: d.deadline_at && Date.parse(d.deadline_at) < now ? 'overdue' : 'open',
                   due_at: d.deadline_at || null, href: null }));
}

/** A ticket as this device will have made it: the state after its queued moves. */
export function localTicket(ticket, outboxRows) {
  const queued = outboxRows.filter((m) => m.state === PENDING && TICKET_MUTATIONS.has(m.name)
    && m.args.ticket_id === ticket.id);
  const moves = queued.filter((m) => m.name === 'move_ticket').map((m) => m.args.to);
  return { ...ticket, local_status: moves.length ? moves[moves.length - 1] : ticket.status,
           queued: queued.map((m) => ({ id: m.mutation_id, name: m.name })) };
}

export function isMine(ticket, me) {
  return ticket.assignee === me.user_id || ticket.responsible === me.user_id;
}

/** Tickets assigned to me whose work is not done yet (queued moves counted). */
export function ticketsToDo(tickets, outboxRows, me) {
  return tickets.map((r) => r.doc).filter((t) => t && isMine(t, me))
    .map((t) => localTicket(t, outboxRows))
    .filter((t) => !TICKET_DONE.has(t.local_status))
    .map((t) => ({ kind: 'ticket', id: t.id, title: t.title || t.description || t.id,
                   state: t.local_status, due_at: t.due_at || null,
                   href: `#/ticket/${encodeURIComponent(t.id)}` }));
}

export const byDue = (a, b) => ((a.due_at || '9999') < (b.due_at || '9999') ? -1
  : (a.due_at || '9999') > (b.due_at || '9999') ? 1 : (a.id < b.id ? -1 : 1));
